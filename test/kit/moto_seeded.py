"""moto's server with S3 objects put straight into its backend before it serves (tests, bench).

Creating 100,000 objects through PutObject takes minutes; here they are put through moto's own
S3 backend (S3Backend.put_object, the code PutObject runs) in-process, then the server starts.
moto 5.2.1 lists a bucket by scanning and sorting every key on every ListObjectsV2 page (about
1 s a page at 100,000 keys); for buckets seeded here, listing without a delimiter walks a sorted
index instead and hands the page to moto's own truncation and continuation tokens, so pages, order
and tokens are moto's. Any PutObject or DeleteObject through the server drops the index.

Usage: python3 moto_seeded.py PORT < spec.json, where spec is a list of
  {"bucket": "b", "key": "datasets/x/train/img-{:06d}.jpg", "count": 100000, "skip": [17], "body": "x"}
Prints "seeded N objects in S s" and then "ready 127.0.0.1:PORT" when it listens.
"""

import bisect
import json
import sys
import threading
import time

from moto.core import DEFAULT_ACCOUNT_ID
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.s3.models import S3Backend, s3_backends

SORTED: dict = {}
original_list_v2 = S3Backend.list_objects_v2
original_put = S3Backend.put_object
original_delete = S3Backend.delete_object


def list_v2(self, bucket, prefix, delimiter, continuation_token, start_after, max_keys):
    names = SORTED.get(bucket.name)
    if names is None or delimiter:
        return original_list_v2(self, bucket, prefix, delimiter, continuation_token, start_after, max_keys)
    prefix = prefix or ""
    after = self._pagination_tokens.get(continuation_token) if continuation_token else start_after
    index = bisect.bisect_right(names, after) if after else bisect.bisect_left(names, prefix)
    index = max(index, bisect.bisect_left(names, prefix))
    page = []
    while index < len(names) and len(page) <= max_keys and names[index].startswith(prefix):
        page.append(bucket.keys[names[index]])
        index += 1
    return self._truncate_result(page, max_keys)


def put(self, bucket_name, *args, **kwargs):
    SORTED.pop(bucket_name, None)
    return original_put(self, bucket_name, *args, **kwargs)


def delete(self, bucket_name, *args, **kwargs):
    SORTED.pop(bucket_name, None)
    return original_delete(self, bucket_name, *args, **kwargs)


def main() -> None:
    port = int(sys.argv[1])
    spec = json.load(sys.stdin)
    started = time.time()
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    total = 0
    for entry in spec:
        if entry["bucket"] not in backend.buckets:
            backend.create_bucket(entry["bucket"], "us-east-1")
        skip = set(entry.get("skip", []))
        body = entry.get("body", "x").encode()
        for i in range(entry["count"]):
            if i not in skip:
                original_put(backend, entry["bucket"], entry["key"].format(i), body, disable_notification=True)
                total += 1
    for name in {entry["bucket"] for entry in spec}:
        SORTED[name] = sorted(backend.buckets[name].keys.keys())
    S3Backend.list_objects_v2 = list_v2
    S3Backend.put_object = put
    S3Backend.delete_object = delete
    print(f"seeded {total} objects in {time.time() - started:.1f} s", flush=True)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    print(f"ready 127.0.0.1:{port}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
