"""fsspec's file system for s3:// URLs, on boto3 (Debian's python3-boto3).

kerchunk's clients read s3:// references through s3fs, which Debian does not package; this is the
part of it a reference file system uses (whole objects and byte ranges, `cat_file`), over the
same S3 API, so that fsspec's ReferenceFileSystem can read refcat's s3:// references against a
loopback S3 server.
"""
import boto3
import botocore.config
from fsspec.spec import AbstractFileSystem


class BotoS3FileSystem(AbstractFileSystem):
    protocol = "s3"

    def __init__(self, endpoint_url, **kwargs):
        """Credentials from boto3's default chain (the environment), as s3fs takes them."""
        super().__init__(**kwargs)
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name="us-east-1",
                                   config=botocore.config.Config(s3={"addressing_style": "path"}))

    def cat_file(self, path, start=None, end=None, **kwargs):
        bucket, _, key = self._strip_protocol(path).partition("/")
        ranged = {}
        if start is not None or end is not None:
            size = None if start is not None and end is not None and start >= 0 and end >= 0 else self.size(path)
            first = 0 if start is None else (start if start >= 0 else size + start)
            stop = size if end is None else (end if end >= 0 else size + end)
            if stop <= first:
                return b""
            ranged["Range"] = f"bytes={first}-{stop - 1}"
        return self.client.get_object(Bucket=bucket, Key=key, **ranged)["Body"].read()

    def info(self, path, **kwargs):
        bucket, _, key = self._strip_protocol(path).partition("/")
        head = self.client.head_object(Bucket=bucket, Key=key)
        return {"name": f"{bucket}/{key}", "size": head["ContentLength"], "type": "file"}
