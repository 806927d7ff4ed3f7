"""Proxyless gRPC client on gRPC C-core (Debian's python3-grpcio): dials an xds:/// target and, for
each number N read from stdin, calls echo.Echo/Who N times and prints one JSON line counting the
answers by backend. Exits at end of input.

Usage: GRPC_XDS_BOOTSTRAP_CONFIG='{...}' /usr/bin/python3 xds_client.py xds:///echo.test
"""
import json
import sys

import grpc


def main():
    with grpc.insecure_channel(sys.argv[1]) as channel:
        who = channel.unary_unary(
            "/echo.Echo/Who",
            request_serializer=lambda s: s.encode("utf-8"),
            response_deserializer=lambda b: b.decode("utf-8"))
        for line in sys.stdin:
            counts = {}
            try:
                for _ in range(int(line)):
                    answer = who("hi", timeout=30, wait_for_ready=True)
                    counts[answer] = counts.get(answer, 0) + 1
            except grpc.RpcError as e:
                counts = {"error": str(e.code())}
            print(json.dumps(counts, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
