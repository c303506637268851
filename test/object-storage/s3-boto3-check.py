"""Drives Nimbus object storage's S3 API with boto3, as an S3 user would; exits non-zero on any
mismatch. Called by s3-api.test.ts with the endpoint and an EC2 credential in the environment."""
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ["S3_ENDPOINT"]
s3 = boto3.client(
    "s3",
    endpoint_url=endpoint,
    aws_access_key_id=os.environ["S3_ACCESS"],
    aws_secret_access_key=os.environ["S3_SECRET"],
    region_name="us-east-1",
    config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 0}),
)


def expect(cond, what):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)


def error_code(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None


s3.create_bucket(Bucket="photos")
expect("photos" in [b["Name"] for b in s3.list_buckets()["Buckets"]], "bucket listed")
s3.put_object(Bucket="photos", Key="2024/a.jpg", Body=b"aaaa", Metadata={"camera": "x100"})
s3.put_object(Bucket="photos", Key="2024/b.jpg", Body=b"bbbbbb")
s3.put_object(Bucket="photos", Key="top.txt", Body=b"t")
got = s3.get_object(Bucket="photos", Key="2024/a.jpg")
expect(got["Body"].read() == b"aaaa", "object body")
expect(got["Metadata"].get("camera") == "x100", "user metadata")
expect(got["ETag"] == '"74b87337454200d4d33f80c4663dc5e5"', "etag is the quoted md5")
head = s3.head_object(Bucket="photos", Key="2024/b.jpg")
expect(head["ContentLength"] == 6, "head length")
listed = s3.list_objects_v2(Bucket="photos", Delimiter="/")
expect([c["Prefix"] for c in listed.get("CommonPrefixes", [])] == ["2024/"], "common prefixes")
expect([o["Key"] for o in listed.get("Contents", [])] == ["top.txt"], "top-level keys")
page = s3.list_objects_v2(Bucket="photos", MaxKeys=2)
expect(page["IsTruncated"] and len(page["Contents"]) == 2, "first page truncated")
rest = s3.list_objects_v2(Bucket="photos", MaxKeys=2, ContinuationToken=page["NextContinuationToken"])
expect([o["Key"] for o in rest["Contents"]] == ["top.txt"], "second page")
expect(s3.list_objects(Bucket="photos", Prefix="2024/")["Contents"][1]["Key"] == "2024/b.jpg", "v1 listing")

part1 = b"1" * (5 * 1024 * 1024)
part2 = b"2" * 1000
up = s3.create_multipart_upload(Bucket="photos", Key="big.bin", Metadata={"kind": "multi"})
e1 = s3.upload_part(Bucket="photos", Key="big.bin", UploadId=up["UploadId"], PartNumber=1, Body=part1)["ETag"]
e2 = s3.upload_part(Bucket="photos", Key="big.bin", UploadId=up["UploadId"], PartNumber=2, Body=part2)["ETag"]
parts = s3.list_parts(Bucket="photos", Key="big.bin", UploadId=up["UploadId"])["Parts"]
expect([p["PartNumber"] for p in parts] == [1, 2], "parts listed")
done = s3.complete_multipart_upload(
    Bucket="photos", Key="big.bin", UploadId=up["UploadId"],
    MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]},
)
expect(done["ETag"].endswith('-2"'), "multipart etag ends with -2")
big = s3.get_object(Bucket="photos", Key="big.bin")
expect(big["Body"].read() == part1 + part2, "multipart body")
expect(big["ETag"] == done["ETag"], "multipart etag on GET")
rng = s3.get_object(Bucket="photos", Key="big.bin", Range="bytes=5242879-5242880")
expect(rng["Body"].read() == b"12", "range across parts")

aborted = s3.create_multipart_upload(Bucket="photos", Key="gone.bin")
s3.upload_part(Bucket="photos", Key="gone.bin", UploadId=aborted["UploadId"], PartNumber=1, Body=b"x")
s3.abort_multipart_upload(Bucket="photos", Key="gone.bin", UploadId=aborted["UploadId"])
expect(error_code(lambda: s3.list_parts(Bucket="photos", Key="gone.bin", UploadId=aborted["UploadId"])) == "NoSuchUpload", "aborted upload gone")

s3.copy_object(Bucket="photos", Key="copy.txt", CopySource={"Bucket": "photos", "Key": "top.txt"})
expect(s3.get_object(Bucket="photos", Key="copy.txt")["Body"].read() == b"t", "copy")
expect(error_code(lambda: s3.get_object(Bucket="photos", Key="nope")) == "NoSuchKey", "NoSuchKey")
expect(error_code(lambda: s3.list_objects_v2(Bucket="nobucket")) == "NoSuchBucket", "NoSuchBucket")
expect(error_code(lambda: s3.delete_bucket(Bucket="photos")) == "BucketNotEmpty", "BucketNotEmpty")

bad = boto3.client(
    "s3", endpoint_url=endpoint, aws_access_key_id=os.environ["S3_ACCESS"], aws_secret_access_key="wrong",
    region_name="us-east-1", config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 0}),
)
expect(error_code(lambda: bad.list_buckets()) == "SignatureDoesNotMatch", "forged signature refused")
url = s3.generate_presigned_url("get_object", Params={"Bucket": "photos", "Key": "top.txt"}, ExpiresIn=60)
import urllib.request
expect(urllib.request.urlopen(url).read() == b"t", "presigned GET")

for key in ["2024/a.jpg", "2024/b.jpg", "top.txt", "big.bin", "copy.txt"]:
    s3.delete_object(Bucket="photos", Key=key)
s3.delete_bucket(Bucket="photos")
expect("photos" not in [b["Name"] for b in s3.list_buckets()["Buckets"]], "bucket gone")
print("S3 OK")
