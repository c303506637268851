"""Listens for notifications with oslo.messaging itself and prints each one as a JSON line.

Used by oslo-notification-listener.test.ts to prove Nimbus publishes where and how OpenStack's
consumers (Ceilometer) expect. Arguments: transport URL, control exchange, topic, how many
notifications to wait for, seconds to wait at most. Prints `READY` once consuming.
"""
import json
import sys
import threading

from oslo_config import cfg
import oslo_messaging

url, exchange, topic, count, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])

conf = cfg.ConfigOpts()
conf([], project='nimbus-test')
transport = oslo_messaging.get_notification_transport(conf, url=url)
# Nimbus declares its exchanges and queues durable: oslo must be told to agree.
conf.set_override('amqp_durable_queues', True, group='oslo_messaging_rabbit')
done = threading.Event()
received = []


class Endpoint(object):
    def _got(self, priority, ctxt, publisher_id, event_type, payload, metadata):
        print(json.dumps({'priority': priority, 'publisher_id': publisher_id, 'event_type': event_type,
                          'payload': payload, 'metadata': metadata, 'ctxt': ctxt}), flush=True)
        received.append(event_type)
        if len(received) >= count:
            done.set()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self._got('INFO', ctxt, publisher_id, event_type, payload, metadata)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        self._got('ERROR', ctxt, publisher_id, event_type, payload, metadata)


targets = [oslo_messaging.Target(topic=topic, exchange=exchange)]
listener = oslo_messaging.get_notification_listener(transport, targets, [Endpoint()], executor='threading')
listener.start()
print('READY', flush=True)
ok = done.wait(timeout)
listener.stop()
listener.wait()
transport.cleanup()
sys.exit(0 if ok else 3)
