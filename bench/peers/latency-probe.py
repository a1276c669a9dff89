#!/usr/bin/env python3
"""One client, one 2025-11-25 session, sequential tools/call over raw HTTP/1.1 keep-alive.

  python3 bench/peers/latency-probe.py PORT CALLS [TOOL]      (TOOL defaults to echo)

Prints percentiles of the time to the answer's event (or JSON body), of the gap from the answer to the
end of its stream (an event stream's last chunk), and of the whole exchange, then the whole exchange per
block of 10,000 calls (to see a server slow down as its session ages). Reconnects when the server ends
a connection (`Connection: close`) and counts it. Standard library only.
"""
import json
import socket
import sys
import time

HOST = '127.0.0.1'
BLOCK = 10000


class Connection:
    def __init__(self, port):
        self.port = port
        self.open()

    def open(self):
        self.sock = socket.create_connection((HOST, self.port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b''

    def until(self, found):
        while True:
            result = found(self.buf)
            if result is not None:
                return result
            data = self.sock.recv(65536)
            if not data:
                raise EOFError('the server closed the connection')
            self.buf += data

    def take(self, n):
        self.until(lambda b: True if len(b) >= n else None)
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def line(self):
        i = self.until(lambda b: b.find(b'\r\n') if b.find(b'\r\n') >= 0 else None)
        out = self.take(i)
        self.take(2)
        return out

    def post(self, body, session=None):
        head = (f'POST /mcp HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nContent-Type: application/json\r\n'
                f'Accept: application/json, text/event-stream\r\nContent-Length: {len(body)}\r\n')
        if session:
            head += f'Mcp-Session-Id: {session}\r\nMCP-Protocol-Version: 2025-11-25\r\n'
        self.sock.sendall((head + '\r\n').encode() + body)

    def response(self):
        """(headers, body, time of the answer, time of the end)"""
        status = self.line()
        headers = {}
        for raw in iter(self.line, b''):
            name, value = raw.decode().split(':', 1)
            headers[name.strip().lower()] = value.strip()
        if not status.split()[1].startswith(b'2'):
            raise RuntimeError(f'{status.decode()}: {self.take(int(headers.get("content-length", 0)))!r}')
        if 'content-length' in headers:
            body = self.take(int(headers['content-length']))
            now = time.perf_counter()
            return headers, body, now, now
        body, answered = b'', None
        while True:
            size = int(self.line().split(b';')[0], 16)
            chunk = self.take(size)
            self.take(2)
            if size == 0:
                return headers, body, answered if answered is not None else time.perf_counter(), time.perf_counter()
            body += chunk
            if answered is None and b'"result"' in body and body.endswith(b'\n\n'):
                answered = time.perf_counter()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main():
    port, calls = int(sys.argv[1]), int(sys.argv[2])
    tool = sys.argv[3] if len(sys.argv) > 3 else 'echo'
    c = Connection(port)
    c.post(json.dumps({'jsonrpc': '2.0', 'id': 1, 'method': 'initialize', 'params': {
        'protocolVersion': '2025-11-25', 'capabilities': {},
        'clientInfo': {'name': 'latency-probe', 'version': '1'}}}).encode())
    headers, _, _, _ = c.response()
    session = headers['mcp-session-id']
    c.post(b'{"jsonrpc":"2.0","method":"notifications/initialized"}', session)
    c.response()
    answer, gap, whole, reconnects = [], [], [], 0
    for k in range(calls):
        body = json.dumps({'jsonrpc': '2.0', 'id': k + 2, 'method': 'tools/call',
                           'params': {'name': tool, 'arguments': {'message': 'hi'}}}).encode()
        start = time.perf_counter()
        c.post(body, session)
        headers, text, answered, ended = c.response()
        if b'"result"' not in text:
            raise RuntimeError(f'call {k} was not answered with a result: {text!r}')
        answer.append((answered - start) * 1e3)
        gap.append((ended - answered) * 1e3)
        whole.append((ended - start) * 1e3)
        if headers.get('connection', '').lower() == 'close':
            c.sock.close()
            c.open()
            reconnects += 1
    for name, values in (('to the answer', answer), ('answer to end', gap), ('whole exchange', whole)):
        print(f'{name:15s} p50 {percentile(values, 50):.3f}  p90 {percentile(values, 90):.3f}  '
              f'p99 {percentile(values, 99):.3f}  p99.9 {percentile(values, 99.9):.3f}  max {max(values):.3f} ms')
    print(f'reconnects (the server ended the connection): {reconnects}')
    for a in range(0, len(whole), BLOCK):
        block = whole[a:a + BLOCK]
        print(f'calls {a:7d} to {a + len(block):7d}: p50 {percentile(block, 50):.3f}  p99 {percentile(block, 99):.3f}  '
              f'p99.9 {percentile(block, 99.9):.3f} ms')


if __name__ == '__main__':
    main()
