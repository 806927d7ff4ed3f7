"""Proxyless gRPC client on gRPC C-core (Debian's python3-grpcio): calls echo.Echo/Who N times
through an xds:/// target and prints how many answers came from each backend, as JSON.

Usage: GRPC_XDS_BOOTSTRAP_CONFIG='{...}' /usr/bin/python3 xds_client.py xds:///echo.test 200
"""
import json
import sys

import grpc


def main():
    target, n = sys.argv[1], int(sys.argv[2])
    with grpc.insecure_channel(target) as channel:
        who = channel.unary_unary(
            "/echo.Echo/Who",
            request_serializer=lambda s: s.encode("utf-8"),
            response_deserializer=lambda b: b.decode("utf-8"))
        counts = {}
        for _ in range(n):
            answer = who("hi", timeout=10, wait_for_ready=True)
            counts[answer] = counts.get(answer, 0) + 1
    print(json.dumps(counts, sort_keys=True))


if __name__ == "__main__":
    main()
