"""Client for the ProtoRoundTrip line protocol (Sources/ProtoRoundTrip), one long-lived process.

Requests, one per line on stdin, each answered by one line on stdout:
  bin  <message full name> <hex of binary message, '-' if empty>
  json <message full name> <base64 of UTF-8 JSON text>
  rest <message full name> <hex of binary message, '-' if empty>
Answers:
  ok <hex of our binary encoding, '-' if empty> <canonical proto3 JSON, compact, rest of line>
     (for rest: the JSON REST answers print, with unpopulated fields emitted)
  err <message>
"""

import base64
import dataclasses
import json
import queue
import subprocess
import tempfile
import threading

ANSWER_TIMEOUT_SECONDS = 10


@dataclasses.dataclass
class Answer:
    ok: bool
    binary: bytes = b""  # our encoding (ok only)
    json: object = None  # our canonical JSON, parsed (ok only)
    error: str = ""  # the err message
    line: str = ""  # the raw answer, for assertion messages


class RoundTripDied(AssertionError):
    pass


class RoundTrip:
    def __init__(self, path):
        self.path = path
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr
        )
        self.lines = queue.Queue()
        self.death = None  # why the process stopped answering, once it has
        threading.Thread(target=self._read_lines, daemon=True).start()

    def _read_lines(self):
        for raw in self.process.stdout:
            self.lines.put(raw)
        self.lines.put(None)  # end of output: the process exited or closed stdout

    def bin(self, name, data):
        return self.ask(f"bin {name} {data.hex() or '-'}")

    def rest(self, name, data):
        return self.ask(f"rest {name} {data.hex() or '-'}")

    def json(self, name, text):
        return self.ask(f"json {name} {base64.b64encode(text.encode()).decode()}")

    def ask(self, request):
        """Sends one request line and parses the one answer line; raises if the process died."""
        if self.death:
            raise RoundTripDied(f"ProtoRoundTrip is gone since an earlier request: {self.death}")
        raw, why = None, "stdout closed"
        try:
            self.process.stdin.write(request.encode() + b"\n")
            self.process.stdin.flush()
            raw = self.lines.get(timeout=ANSWER_TIMEOUT_SECONDS)
        except BrokenPipeError:
            pass
        except queue.Empty:
            why = f"no answer within {ANSWER_TIMEOUT_SECONDS} s"
        if raw is None:
            self._died(request, why)
        return parse_answer(raw.decode("utf-8", errors="replace").rstrip("\r\n"))

    def _died(self, request, why):
        """Kills the process (a late answer would be taken for the next request's) and raises."""
        self.process.kill()
        exit_code = self.process.wait()
        self.stderr.seek(0)
        tail = self.stderr.read()[-2000:].decode(errors="replace")
        self.death = f"{why}, exit code {exit_code}, after request {request[:200]!r}"
        raise RoundTripDied(f"ProtoRoundTrip stopped answering: {self.death}; stderr tail:\n{tail}")

    def close(self):
        if self.process.poll() is None:
            # Closing stdin is the end-of-input signal: the process should exit on its own.
            self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.stderr.close()


def parse_answer(line):
    kind, _, rest = line.partition(" ")
    if kind == "err":
        return Answer(ok=False, error=rest, line=line)
    if kind != "ok":
        raise AssertionError(f"answer is neither 'ok' nor 'err': {line[:300]!r}")
    hex_part, _, json_part = rest.partition(" ")
    try:
        binary = b"" if hex_part == "-" else bytes.fromhex(hex_part)
        parsed = json.loads(json_part)
    except ValueError as error:
        raise AssertionError(f"malformed 'ok' answer ({error}): {line[:300]!r}") from None
    return Answer(ok=True, binary=binary, json=parsed, line=line)
