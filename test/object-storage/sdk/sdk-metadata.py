"""Drives object storage through openstacksdk (Debian python3-openstacksdk) the way a user would.

Reads the cloud from OS_CLIENT_CONFIG_FILE / OS_CLOUD and prints one JSON document of what the
SDK saw, for the calling test to compare with what it expects.
"""
import hashlib
import json
import os
import sys
import tempfile

import openstack


def main():
    conn = openstack.connect()
    store = conn.object_store
    seen = {}

    store.create_container('sdkmeta')
    store.upload_object(container='sdkmeta', name='obj', data=b'hello sdk')

    store.set_object_metadata('obj', container='sdkmeta', k1='v1', color='blue')
    seen['object_after_set'] = store.get_object_metadata('obj', container='sdkmeta').metadata
    store.set_object_metadata('obj', container='sdkmeta', k1='v2')
    seen['object_after_update'] = store.get_object_metadata('obj', container='sdkmeta').metadata
    store.delete_object_metadata('obj', container='sdkmeta', keys=['color'])
    seen['object_after_delete'] = store.get_object_metadata('obj', container='sdkmeta').metadata

    store.set_container_metadata('sdkmeta', owner='ops', tier='gold')
    seen['container_after_set'] = store.get_container_metadata('sdkmeta').metadata
    store.delete_container_metadata('sdkmeta', keys=['tier'])
    seen['container_after_delete'] = store.get_container_metadata('sdkmeta').metadata

    store.set_account_metadata(team='blue')
    seen['account_after_set'] = store.get_account_metadata().metadata
    store.delete_account_metadata(keys=['team'])
    seen['account_after_delete'] = store.get_account_metadata().metadata

    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(os.urandom(50_000))
        path = f.name
    conn.create_object('sdkmeta', 'file.bin', filename=path)
    seen['stale_after_first_upload'] = conn.is_object_stale('sdkmeta', 'file.bin', path)
    first = store.get_object_metadata('file.bin', container='sdkmeta').timestamp
    conn.create_object('sdkmeta', 'file.bin', filename=path)
    seen['stale_after_second_upload'] = conn.is_object_stale('sdkmeta', 'file.bin', path)
    # An upload that was skipped leaves the object's X-Timestamp as it was.
    seen['second_upload_skipped'] = store.get_object_metadata('file.bin', container='sdkmeta').timestamp == first
    with open(path, 'rb') as f:
        seen['file_md5'] = hashlib.md5(f.read()).hexdigest()
    seen['object_etag'] = store.get_object_metadata('file.bin', container='sdkmeta').etag
    os.unlink(path)
    json.dump(seen, sys.stdout)


if __name__ == '__main__':
    main()
