"""Nimbus's definitions of the fixtures Placement's gabbi files name.

Each fixture asks the Node harness (test/placement/gabbi-server.ts) for a fresh Placement
configured as the upstream fixture configures it, then builds the same providers, inventories,
traits, aggregates and allocations through the Placement API, and exports the same environment
variables. Written from the facts of upstream's fixtures (names, amounts, trees), not their code.
"""
import json
import os
import urllib.request
import uuid

from gabbi import fixture

CONTROL = int(os.environ.get('PLACEMENT_GABBI_CONTROL', '0'))
TARGET = int(os.environ.get('PLACEMENT_GABBI_TARGET', '0'))


def _new():
    return str(uuid.uuid4())


def _call(method, path, body=None, version='1.37'):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        'http://127.0.0.1:%d%s' % (TARGET, path), data=data, method=method,
        headers={'x-auth-token': 'admin', 'accept': 'application/json',
                 'content-type': 'application/json',
                 'openstack-api-version': 'placement %s' % version})
    with urllib.request.urlopen(req) as resp:
        text = resp.read()
        return json.loads(text) if text else None


class Builder(object):
    """The helpers upstream's fixtures use, as API calls."""

    def provider(self, name, *aggs, parent=None):
        body = {'name': name, 'uuid': _new()}
        if parent:
            body['parent_provider_uuid'] = parent
        rp = _call('POST', '/resource_providers', body)
        if aggs:
            # Aggregates without a generation bump, as the fixtures' set_aggregates.
            _call('PUT', '/resource_providers/%s/aggregates' % rp['uuid'], list(aggs), version='1.18')
        return rp['uuid']

    def aggregates(self, rp, *aggs):
        _call('PUT', '/resource_providers/%s/aggregates' % rp, list(aggs), version='1.18')

    def inventory(self, rp, rc, total, **kwargs):
        if rc.startswith('CUSTOM_'):
            _call('PUT', '/resource_classes/%s' % rc)
        kwargs.setdefault('max_unit', total)
        body = dict(kwargs, resource_class=rc, total=total)
        _call('POST', '/resource_providers/%s/inventories' % rp, body)

    def traits(self, rp, *names):
        for name in names:
            if name.startswith('CUSTOM_'):
                _call('PUT', '/traits/%s' % name)
        gen = _call('GET', '/resource_providers/%s' % rp)['generation']
        _call('PUT', '/resource_providers/%s/traits' % rp,
              {'traits': list(names), 'resource_provider_generation': gen})

    def allocate(self, rp, resources, project, user, consumer=None):
        consumer = consumer or _new()
        _call('PUT', '/allocations/%s' % consumer,
              {'allocations': {rp: {'resources': resources}},
               'project_id': project, 'user_id': user, 'consumer_generation': None})
        return consumer


class APIFixture(fixture.GabbiFixture):
    """A fresh Placement with noauth2 and the common environment variables."""

    name = 'APIFixture'

    def start_fixture(self):
        req = urllib.request.Request(
            'http://127.0.0.1:%d/reset?fixture=%s' % (CONTROL, type(self).__name__), data=b'', method='POST')
        urllib.request.urlopen(req).read()
        for var in ('RP_UUID', 'RP_NAME', 'PROJECT_ID', 'USER_ID', 'PROJECT_ID_ALT', 'USER_ID_ALT',
                    'INSTANCE_UUID', 'MIGRATION_UUID', 'CONSUMER_UUID', 'PARENT_PROVIDER_UUID',
                    'ALT_PARENT_PROVIDER_UUID'):
            os.environ[var] = _new()
        os.environ['CUSTOM_RES_CLASS'] = 'CUSTOM_IRON_NFV'
        self.b = Builder()

    def stop_fixture(self):
        pass


class AllocationFixture(APIFixture):
    def start_fixture(self):
        super().start_fixture()
        b = self.b
        os.environ['ALT_USER_ID'] = _new()
        project, user, alt_user = os.environ['PROJECT_ID'], os.environ['USER_ID'], os.environ['ALT_USER_ID']
        rp = os.environ['RP_UUID']
        _call('POST', '/resource_providers', {'name': os.environ['RP_NAME'], 'uuid': rp})
        b.inventory(rp, 'DISK_GB', 2048, step_size=10, min_unit=10, max_unit=1000)
        b.inventory(rp, 'VCPU', 10, max_unit=10)
        os.environ['CONSUMER_0'] = b.allocate(rp, {'DISK_GB': 1000}, project, user)
        os.environ['CONSUMER_ID'] = b.allocate(rp, {'VCPU': 6}, project, user)
        os.environ['ALT_CONSUMER_ID'] = b.allocate(rp, {'DISK_GB': 20, 'VCPU': 1}, project, alt_user)
        os.environ['ALT_RP_UUID'] = _new()
        os.environ['ALT_RP_NAME'] = _new()


class SharedStorageFixture(APIFixture):
    def start_fixture(self):
        super().start_fixture()
        b = self.b
        agg = _new()
        cn1, cn2 = b.provider('cn1', agg), b.provider('cn2', agg)
        ss, ss2 = b.provider('ss', agg), b.provider('ss2', agg)
        numa1_1, numa1_2 = b.provider('numa1_1', parent=cn1), b.provider('numa1_2', parent=cn1)
        numa2_1, numa2_2 = b.provider('numa2_1', parent=cn2), b.provider('numa2_2', parent=cn2)
        pfs = [b.provider('pf1_1', parent=numa1_1), b.provider('pf1_2', parent=numa1_2),
               b.provider('pf2_1', parent=numa2_1), b.provider('pf2_2', parent=numa2_2)]
        env = {'AGG_UUID': agg, 'CN1_UUID': cn1, 'CN2_UUID': cn2, 'SS_UUID': ss, 'SS2_UUID': ss2,
               'NUMA1_1_UUID': numa1_1, 'NUMA1_2_UUID': numa1_2, 'NUMA2_1_UUID': numa2_1,
               'NUMA2_2_UUID': numa2_2, 'PF1_1_UUID': pfs[0], 'PF1_2_UUID': pfs[1],
               'PF2_1_UUID': pfs[2], 'PF2_2_UUID': pfs[3]}
        os.environ.update(env)
        for cn in (cn1, cn2):
            b.inventory(cn, 'VCPU', 24, allocation_ratio=16.0)
            b.inventory(cn, 'MEMORY_MB', 128 * 1024, allocation_ratio=1.5)
        b.traits(cn1, 'HW_CPU_X86_SSE', 'HW_CPU_X86_SSE2')
        b.inventory(cn2, 'DISK_GB', 2000, reserved=100, allocation_ratio=1.0)
        for shared in (ss, ss2):
            b.inventory(shared, 'DISK_GB', 2000, reserved=100, allocation_ratio=1.0)
            b.traits(shared, 'MISC_SHARES_VIA_AGGREGATE')
        for pf in pfs:
            b.inventory(pf, 'SRIOV_NET_VF', 8, allocation_ratio=1.0)


class NUMAAggregateFixture(APIFixture):
    def start_fixture(self):
        super().start_fixture()
        b = self.b
        agg_a, agg_b, agg_c = _new(), _new(), _new()
        cn1, cn2 = b.provider('cn1', agg_a), b.provider('cn2', agg_a, agg_b)
        ss1, ss2 = b.provider('ss1', agg_a), b.provider('ss2', agg_c)
        numa1_1 = b.provider('numa1_1', agg_c, parent=cn1)
        numa1_2 = b.provider('numa1_2', parent=cn1)
        numa2_1 = b.provider('numa2_1', parent=cn2)
        numa2_2 = b.provider('numa2_2', parent=cn2)
        os.environ.update({'AGGA_UUID': agg_a, 'AGGB_UUID': agg_b, 'AGGC_UUID': agg_c,
                           'CN1_UUID': cn1, 'CN2_UUID': cn2, 'SS1_UUID': ss1, 'SS2_UUID': ss2,
                           'NUMA1_1_UUID': numa1_1, 'NUMA1_2_UUID': numa1_2,
                           'NUMA2_1_UUID': numa2_1, 'NUMA2_2_UUID': numa2_2})
        for numa in (numa1_1, numa1_2, numa2_1, numa2_2):
            b.inventory(numa, 'VCPU', 24, allocation_ratio=16.0)
        for ss in (ss1, ss2):
            b.inventory(ss, 'DISK_GB', 2000, reserved=100, allocation_ratio=1.0)
            b.traits(ss, 'MISC_SHARES_VIA_AGGREGATE')


class NUMANetworkFixture(APIFixture):
    cn1 = None
    cn2 = None

    def start_fixture(self):
        super().start_fixture()
        self.make_entities()

    def make_entities(self):
        b = self.b
        env = os.environ
        agg_a = env['AGGA_UUID'] = _new()
        ss1 = b.provider('ss1', agg_a)
        b.traits(ss1, 'MISC_SHARES_VIA_AGGREGATE')
        b.inventory(ss1, 'DISK_GB', 2000)
        env['SS1_UUID'] = ss1
        cn1 = self.cn1 or b.provider('cn1', agg_a)
        b.aggregates(cn1, agg_a)
        b.traits(cn1, 'COMPUTE_VOLUME_MULTI_ATTACH')
        env['CN1_UUID'] = cn1
        numas = []
        for i in (0, 1):
            numa = b.provider('numa%d' % i, parent=cn1)
            b.traits(numa, *(['HW_NUMA_ROOT'] + (['CUSTOM_FOO'] if i == 1 else [])))
            b.inventory(numa, 'VCPU', 4)
            numas.append(numa)
            env['NUMA%d_UUID' % i] = numa
        b.inventory(numas[0], 'MEMORY_MB', 2048, min_unit=512, step_size=256)
        b.inventory(numas[1], 'MEMORY_MB', 2048, min_unit=256, max_unit=1024)
        b.allocate(numas[0], {'VCPU': 2}, 'numafx-project', 'numafx-user')
        fpga = b.provider('fpga0', parent=numas[0])
        b.inventory(fpga, 'CUSTOM_FPGA', 1)
        env['FPGA0_UUID'] = fpga
        pgpu = b.provider('pgpu0', parent=numas[0])
        b.inventory(pgpu, 'VGPU', 8)
        env['PGPU0_UUID'] = pgpu
        for i in (0, 1):
            fpga = b.provider('fpga1_%d' % i, parent=numas[1])
            b.inventory(fpga, 'CUSTOM_FPGA', 1)
            env['FPGA1_%d_UUID' % i] = fpga
        agent = b.provider('sriov_agent', parent=cn1)
        b.traits(agent, 'CUSTOM_VNIC_TYPE_DIRECT')
        env['SRIOV_AGENT_UUID'] = agent
        for i in (1, 2):
            dev = b.provider('esn%d' % i, parent=agent)
            b.traits(dev, 'CUSTOM_PHYSNET%d' % i)
            b.inventory(dev, 'NET_BW_EGR_KILOBIT_PER_SEC', 10000 * i)
            env['ESN%d_UUID' % i] = dev
        agent = b.provider('ovs_agent', parent=cn1)
        b.traits(agent, 'CUSTOM_VNIC_TYPE_NORMAL')
        env['OVS_AGENT_UUID'] = agent
        dev = b.provider('br_int', parent=agent)
        b.traits(dev, 'CUSTOM_PHYSNET0')
        b.inventory(dev, 'NET_BW_EGR_KILOBIT_PER_SEC', 1000)
        env['BR_INT_UUID'] = dev
        cn2 = self.cn2 or b.provider('cn2')
        b.aggregates(cn2, agg_a)
        b.inventory(cn2, 'VCPU', 8)
        b.allocate(cn2, {'VCPU': 3}, 'numafx-project', 'numafx-user')
        b.inventory(cn2, 'MEMORY_MB', 2048, min_unit=1024, step_size=128)
        b.inventory(cn2, 'DISK_GB', 1000)
        b.traits(cn2, 'CUSTOM_FOO')
        env['CN2_UUID'] = cn2
        nics = []
        for i in (1, 2, 3):
            nic = b.provider('nic%d' % i, parent=cn2)
            b.traits(nic, 'CUSTOM_HW_NIC_ROOT')
            nics.append(nic)
            env['NIC%s_UUID' % i] = nic
        for i in (1, 2):
            pf = b.provider('pf1_%d' % i, parent=nics[0])
            b.traits(pf, 'CUSTOM_PHYSNET%d' % i)
            b.inventory(pf, 'CUSTOM_VF', 4)
            env['PF1_%d_UUID' % i] = pf
        for i in (0, 1, 2, 3):
            pf = b.provider('pf2_%d' % (i + 1), parent=nics[1])
            b.traits(pf, 'CUSTOM_PHYSNET%d' % ((i % 2) + 1))
            b.inventory(pf, 'CUSTOM_VF', 2)
            env['PF2_%d_UUID' % (i + 1)] = pf
        pf = b.provider('pf3_1', parent=nics[2])
        b.traits(pf, 'CUSTOM_PHYSNET1')
        b.inventory(pf, 'CUSTOM_VF', 8)
        env['PF3_1_UUID'] = pf


class DeepNUMANetworkFixture(NUMANetworkFixture):
    def make_entities(self):
        b = self.b
        gp1 = b.provider('gp1')
        p1 = b.provider('p1', parent=gp1)
        p2 = b.provider('p2', parent=gp1)
        self.cn1 = b.provider('cn1', parent=p1)
        self.cn2 = b.provider('cn2', parent=p2)
        super().make_entities()


class NonSharedStorageFixture(APIFixture):
    def start_fixture(self):
        super().start_fixture()
        b = self.b
        for name in ('AGGA_UUID', 'AGGB_UUID', 'AGGC_UUID'):
            os.environ[name] = _new()
        cns = [b.provider('cn1'), b.provider('cn2'), b.provider('cn3')]
        for i, cn in enumerate(cns):
            os.environ['CN%d_UUID' % (i + 1)] = cn
        for cn in cns:
            b.inventory(cn, 'VCPU', 24)
            b.inventory(cn, 'MEMORY_MB', 128 * 1024)
            b.inventory(cn, 'DISK_GB', 2000)


class CORSFixture(APIFixture):
    """Upstream turns on oslo.middleware's CORS; Nimbus's Placement has no CORS support."""


class GranularFixture(APIFixture):
    def start_fixture(self):
        super().start_fixture()
        b = self.b
        _call('POST', '/resource_classes', {'name': 'CUSTOM_NET_MBPS'})
        agg_a, agg_b, agg_c = _new(), _new(), _new()
        os.environ.update({'AGGA': agg_a, 'AGGB': agg_b, 'AGGC': agg_c})
        left = os.environ['CN_LEFT'] = b.provider('cn_left', agg_a)
        for rc, n in (('VCPU', 8), ('MEMORY_MB', 4096), ('DISK_GB', 500), ('VGPU', 8),
                      ('SRIOV_NET_VF', 8), ('CUSTOM_NET_MBPS', 4000)):
            b.inventory(left, rc, n)
        b.traits(left, 'HW_CPU_X86_AVX', 'HW_CPU_X86_AVX2', 'HW_GPU_API_DXVA', 'HW_NIC_DCB_PFC', 'CUSTOM_FOO')
        middle = os.environ['CN_MIDDLE'] = b.provider('cn_middle', agg_a, agg_b)
        for rc, n in (('VCPU', 8), ('MEMORY_MB', 4096), ('SRIOV_NET_VF', 8), ('CUSTOM_NET_MBPS', 4000)):
            b.inventory(middle, rc, n)
        b.traits(middle, 'HW_CPU_X86_AVX', 'HW_CPU_X86_AVX2', 'HW_CPU_X86_SSE', 'HW_NIC_ACCEL_TLS')
        right = os.environ['CN_RIGHT'] = b.provider('cn_right', agg_b, agg_c)
        b.inventory(right, 'VCPU', 8)
        b.inventory(right, 'MEMORY_MB', 4096)
        b.inventory(right, 'DISK_GB', 500)
        b.inventory(right, 'VGPU', 8, max_unit=2)
        b.traits(right, 'HW_CPU_X86_MMX', 'HW_GPU_API_DXVA', 'CUSTOM_DISK_SSD')
        d1 = os.environ['SHR_DISK_1'] = b.provider('shr_disk_1', agg_a)
        b.inventory(d1, 'DISK_GB', 1000)
        b.traits(d1, 'MISC_SHARES_VIA_AGGREGATE', 'CUSTOM_DISK_SSD')
        d2 = os.environ['SHR_DISK_2'] = b.provider('shr_disk_2', agg_a, agg_b)
        b.inventory(d2, 'DISK_GB', 1000)
        b.traits(d2, 'MISC_SHARES_VIA_AGGREGATE')
        net = os.environ['SHR_NET'] = b.provider('shr_net', agg_c)
        b.inventory(net, 'SRIOV_NET_VF', 16)
        b.inventory(net, 'CUSTOM_NET_MBPS', 40000)
        b.traits(net, 'MISC_SHARES_VIA_AGGREGATE')


class OpenPolicyFixture(APIFixture):
    """Every placement rule set to '@' (the harness writes the policy file)."""


class SecureRBACPolicyFixture(APIFixture):
    """enforce_scope and enforce_new_defaults on."""


class LegacyRBACPolicyFixture(APIFixture):
    """The deprecated rules (the defaults)."""


class NeutronQoSMultiSegmentFixture(APIFixture):
    def start_fixture(self):
        super().start_fixture()
        b = self.b
        bw = {'compute0': 5000, 'compute1': 5000, 'compute2': 5000}
        physnet = {'compute0': 'CUSTOM_PHYSNET_OTHER', 'compute1': 'CUSTOM_PHYSNET_MSN_S1',
                   'compute2': 'CUSTOM_PHYSNET_MSN_S2'}
        direct = ('CUSTOM_VNIC_TYPE_DIRECT', 'CUSTOM_VNIC_TYPE_DIRECT_PHYSICAL', 'CUSTOM_VNIC_TYPE_MACVTAP')
        sriov_agents = {}
        for host in ('compute0', 'compute1', 'compute2', 'compute3'):
            cn = os.environ[host] = b.provider(host)
            b.inventory(cn, 'VCPU', 8)
            b.inventory(cn, 'MEMORY_MB', 4096)
            b.inventory(cn, 'DISK_GB', 500)
            ovs = os.environ[host + ':ovs_agent'] = b.provider(host + ':Open vSwitch agent', parent=cn)
            b.inventory(ovs, 'NET_PACKET_RATE_KILOPACKET_PER_SEC', 1000)
            b.traits(ovs, 'CUSTOM_VNIC_TYPE_NORMAL')
            bridges = [('br-ex', 'br_ex', physnet.get(host, 'CUSTOM_PHYSNET_MSN_S1'))]
            if host == 'compute3':
                bridges.append(('br-ex2', 'br_ex2', 'CUSTOM_PHYSNET_MSN_S2'))
            for name, var, net in bridges:
                br = os.environ['%s:%s' % (host, var)] = b.provider('%s:Open vSwitch agent:%s' % (host, name), parent=ovs)
                b.inventory(br, 'NET_BW_EGR_KILOBIT_PER_SEC', bw.get(host, 1000))
                b.inventory(br, 'NET_BW_IGR_KILOBIT_PER_SEC', bw.get(host, 1000))
                b.traits(br, 'CUSTOM_VNIC_TYPE_NORMAL', net)
            sriov = sriov_agents[host] = b.provider(host + ':NIC Switch agent', parent=cn)
            # Upstream exports compute2's agent for compute3 too (sic); kept, as the tests expect it.
            os.environ[host + ':sriov_agent'] = sriov_agents['compute2' if host == 'compute3' else host]
            b.traits(sriov, *direct)
            pfs = [('enp129s0f0', 'pf0', physnet.get(host, 'CUSTOM_PHYSNET_MSN_S1'))]
            if host == 'compute3':
                pfs.append(('enp129s0f1', 'pf1', 'CUSTOM_PHYSNET_MSN_S2'))
            for name, var, net in pfs:
                pf = os.environ['%s:%s' % (host, var)] = b.provider('%s:NIC Switch agent:%s' % (host, name), parent=sriov)
                amount = 10000 if host != 'compute3' else 1000
                b.inventory(pf, 'NET_BW_EGR_KILOBIT_PER_SEC', amount)
                b.inventory(pf, 'NET_BW_IGR_KILOBIT_PER_SEC', amount)
                b.traits(pf, *(direct + (net,)))
