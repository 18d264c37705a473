"""Loopback servers for the egress tests, in one process (threads), on ephemeral ports of 127.0.0.1.

    python3 netserve.py DIR READY-FILE LOG-FILE [DNS-ADDRESS]

DIR is served over HTTP (GET and HEAD, files as they are). A TCP echo server answers each line it
gets with "echo: LINE", and writes "open N" and "closed N" to LOG-FILE as its connections come and
go (to see that sbox left none behind). A third server says "hello", ends its side of the connection,
then writes what it still receives to LOG-FILE ("after its end: ..."), and a fourth accepts and never
reads (a sink). READY-FILE gets "HTTP-PORT ECHO-PORT HALF-PORT SINK-PORT" once all listen.
With DNS-ADDRESS (root only: port 53), a name server there answers A queries for web.*.dns.test
with 127.0.0.1, and NXDOMAIN for any other name (AAAA: no records).
The process ends on its own after 300 s.
"""
import http.server
import os
import socket
import socketserver
import sys
import threading

directory, ready, log = sys.argv[1:4]
lock = threading.Lock()
count = [0]


def note(text):
    with lock, open(log, "a") as out:
        out.write(text + "\n")


class Files(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=directory, **kwargs)

    def log_message(self, *args):
        pass


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        with lock:
            count[0] += 1
            number = count[0]
        note(f"open {number}")
        try:
            for line in self.rfile:
                self.wfile.write(b"echo: " + line)
        except OSError:
            pass
        note(f"closed {number}")


class HalfClose(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.sendall(b"hello\n")
        self.request.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := self.request.recv(4096):
            data += chunk
        note("after its end: " + data.decode(errors="replace").strip())


class Sink(socketserver.BaseRequestHandler):
    def handle(self):
        threading.Event().wait(120)


class Threaded(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512


def serve_dns(address):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((address, 53))
    while True:
        query, client = sock.recvfrom(512)
        labels, offset = [], 12
        while query[offset]:
            labels.append(query[offset + 1:offset + 1 + query[offset]].decode())
            offset += 1 + query[offset]
        qtype = int.from_bytes(query[offset + 1:offset + 3], "big")
        question = query[12:offset + 5]
        name = ".".join(labels).lower()
        known = name.startswith("web.") and name.endswith(".dns.test")
        answers = b""
        if known and qtype == 1:
            answers = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" + bytes([127, 0, 0, 1])
        flags = b"\x81\x80" if known else b"\x81\x83"
        header = query[:2] + flags + b"\x00\x01" + (b"\x00\x01" if answers else b"\x00\x00") + b"\x00\x00\x00\x00"
        sock.sendto(header + question + answers, client)


if len(sys.argv) > 4:
    threading.Thread(target=serve_dns, args=(sys.argv[4],), daemon=True).start()
web = Threaded(("127.0.0.1", 0), Files)
echo = Threaded(("127.0.0.1", 0), Echo)
half = Threaded(("127.0.0.1", 0), HalfClose)
sink = Threaded(("127.0.0.1", 0), Sink)
for server in (web, echo, half, sink):
    threading.Thread(target=server.serve_forever, daemon=True).start()
with open(ready + ".tmp", "w") as out:
    out.write(f"{web.server_address[1]} {echo.server_address[1]} {half.server_address[1]} {sink.server_address[1]}\n")
os.rename(ready + ".tmp", ready)
threading.Event().wait(300)
