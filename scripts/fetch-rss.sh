#!/bin/sh
# Peak memory of `policydiff fetch` for one large capture: a Python stand-in on
# 127.0.0.1 lists one capture whose body is SIZE_MB of HTML (plain, and gzip-labelled
# when GZIP=1), and /usr/bin/time -v reports the maximum resident set size.
# Usage: scripts/fetch-rss.sh [path/to/policydiff] (default target/release/policydiff)
set -eu
BIN=${1:-target/release/policydiff}
SIZE_MB=${SIZE_MB:-30}
GZIP=${GZIP:-0}
dir=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
cat > "$dir/standin.py" <<'PY'
import gzip, http.server, json, os, sys
size = int(os.environ["SIZE_MB"]) << 20
row = "<p>" + "We collect and process personal data as described in this policy. " * 15 + "</p>\n"
body = ("<html><body><h1>Privacy Policy</h1>\n" + row * (size // len(row))).encode()
if os.environ["GZIP"] == "1":
    body = gzip.compress(body)
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        if self.path.startswith("/cdx/"):
            out = json.dumps([["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
                ["com,example)/privacy","20240101000000","https://example.com/privacy","text/html","200","X"*32,str(len(body))]]).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(out))); self.end_headers(); self.wfile.write(out)
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Memento-Datetime", "Mon, 01 Jan 2024 00:00:00 GMT")
            self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
SIZE_MB=$SIZE_MB GZIP=$GZIP python3 "$dir/standin.py" > "$dir/port" &
server=$!
while [ ! -s "$dir/port" ]; do sleep 0.1; done
port=$(cat "$dir/port")
POLICYDIFF_MAX_BODY_MB=$((SIZE_MB * 2)) /usr/bin/time -v "$BIN" --store "$dir/store" --wayback-url "http://127.0.0.1:$port" \
    fetch https://example.com/privacy 2> "$dir/time" > /dev/null || { cat "$dir/time"; exit 1; }
stored=$(find "$dir/store" -name '*.html' -printf '%s\n')
echo "stored bytes: $stored"
grep -E "Maximum resident|Elapsed|User time|System time" "$dir/time"
