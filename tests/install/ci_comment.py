#!/usr/bin/env python3
"""tests/install/ci_comment.py: the CI recipes' comment steps keep one comment per scenario.

Runs the comment step of each recipe under ci/ as the CI service would, twice, against a
stand-in for its API, and checks that the first push adds a comment holding archsim's hidden
marker and the second edits that same comment instead of adding one; that a comment by a person
quoting the marker is left alone (GitHub: only the bot's own comments are edited; GitLab: no
system note); that a
Markdown without a marker gets one from the scenario's path; and that no Markdown (archsim told
not to comment) posts nothing.

- GitLab: the `script` entry that posts the note, run by bash with curl and jq against a local
  HTTP server answering the merge-request notes API.
- GitHub: the actions/github-script step's script, run by node with stand-ins for the `github`
  client and `context` that github-script provides.

Skips (exit 77) a recipe whose tools (bash, curl, jq; node) are missing, and fails when none
could run. Usage: ci_comment.py   (from the source root)
"""
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

import yaml

MARKER = "<!-- archsim:adr0005-networking-model -->"
problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def put_comment(scratch, comment):
    """Leaves `comment` as out/comment.md, the Markdown a run made; None: no Markdown."""
    path = os.path.join(scratch, "out", "comment.md")
    if comment is None:
        if os.path.exists(path):
            os.remove(path)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(comment)


# ---------------------------------------------------------------- GitLab

class Notes(http.server.BaseHTTPRequestHandler):
    notes = []  # dicts: id, body, system
    calls = []

    def log_message(self, *args):
        pass

    def reply(self, status, data):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def authorised(self):
        if self.headers.get("PRIVATE-TOKEN") != "token":
            self.reply(401, {"message": "401 Unauthorized"})
            return False
        return True

    def do_GET(self):
        Notes.calls.append(("GET", self.path))
        if self.authorised():
            self.reply(200, sorted(Notes.notes, key=lambda n: -n["id"]))

    def do_POST(self):
        Notes.calls.append(("POST", self.path))
        if not self.authorised():
            return
        data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        note = {"id": 100 + len(Notes.notes), "body": data["body"], "system": False}
        Notes.notes.append(note)
        self.reply(201, note)

    def do_PUT(self):
        Notes.calls.append(("PUT", self.path))
        if not self.authorised():
            return
        data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        note_id = int(self.path.rsplit("/", 1)[1])
        for note in Notes.notes:
            if note["id"] == note_id:
                note["body"] = data["body"]
                return self.reply(200, note)
        self.reply(404, {"message": "404 Not found"})


def gitlab():
    for tool in ("bash", "curl", "jq"):
        if shutil.which(tool) is None:
            print(f"ci_comment: GitLab skipped: {tool} is not installed")
            return False
    with open("ci/gitlab/archsim.gitlab-ci.yml", encoding="utf-8") as f:
        job = yaml.safe_load(f)["archsim"]
    steps = [s for s in job["script"] if "/notes" in s]
    check(len(steps) == 1, f"GitLab: expected one script entry posting the note, found {len(steps)}")
    if not steps:
        return True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Notes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            os.mkdir(os.path.join(scratch, "out"))
            env = dict(os.environ, ARCHSIM_SCENARIO="scenarios/adr0005.yaml", ARCHSIM_GITLAB_TOKEN="token",
                       CI_API_V4_URL=f"http://127.0.0.1:{server.server_port}/api/v4", CI_PROJECT_ID="7",
                       CI_MERGE_REQUEST_IID="42", gate_status="0")

            def push(comment):
                put_comment(scratch, comment)
                Notes.calls.clear()
                result = subprocess.run(["bash", "-e", "-c", steps[0]], cwd=scratch, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
                return result

            # A system note that happens to hold the marker is GitLab's, never the recipe's.
            Notes.notes[:] = [{"id": 1, "body": "unrelated", "system": False},
                              {"id": 2, "body": "changed the description " + MARKER, "system": True}]
            first = push(f"{MARKER}\n## archsim: first push\n")
            check(first.returncode == 0, f"GitLab: the first push failed: {first.stdout}")
            check([c[0] for c in Notes.calls] == ["GET", "POST"], f"GitLab: the first push made {Notes.calls}, expected GET then POST")
            ours = [n for n in Notes.notes if n["body"].startswith(MARKER)]
            check(len(ours) == 1 and ours[0]["body"] == f"{MARKER}\n## archsim: first push\n",
                  f"GitLab: after the first push the notes are {Notes.notes}")
            check(all("/merge_requests/42/notes" in c[1] and "/projects/7/" in c[1] for c in Notes.calls),
                  f"GitLab: calls outside the merge request's notes: {Notes.calls}")
            second = push(f"{MARKER}\n## archsim: second push\n")
            check(second.returncode == 0, f"GitLab: the second push failed: {second.stdout}")
            check([c[0] for c in Notes.calls] == ["GET", "PUT"], f"GitLab: the second push made {Notes.calls}, expected GET then PUT")
            ours = [n for n in Notes.notes if MARKER in n["body"] and not n["system"]]
            check(len(ours) == 1 and ours[0]["body"].endswith("second push\n"), f"GitLab: after the second push the notes are {Notes.notes}")
            # Without a marker in the Markdown, the scenario's path makes one.
            unmarked = push("## archsim: no marker\n")
            check(unmarked.returncode == 0 and [c[0] for c in Notes.calls] == ["GET", "POST"]
                  and Notes.notes[-1]["body"].startswith("<!-- archsim:scenarios/adr0005.yaml -->\n"),
                  f"GitLab: a Markdown without a marker: {Notes.calls} {Notes.notes[-1]} {unmarked.stdout}")
            silent = push(None)
            check(silent.returncode == 0 and Notes.calls == [], f"GitLab: no Markdown still called {Notes.calls}: {silent.stdout}")
    finally:
        server.shutdown()
    return True


# ---------------------------------------------------------------- GitHub

GITHUB_HARNESS = r"""
const script = require('fs').readFileSync(process.argv[2], 'utf8');
const state = JSON.parse(require('fs').readFileSync(process.argv[3], 'utf8'));
const calls = [];
const rest = { issues: {
  listComments: async (p) => { calls.push(['list', p]); return { data: state.comments }; },
  updateComment: async (p) => { calls.push(['update', p]); state.comments.find((c) => c.id === p.comment_id).body = p.body; },
  createComment: async (p) => { calls.push(['create', p]); state.comments.push({ id: 500 + state.comments.length, body: p.body, user: { type: 'Bot' } }); },
} };
const github = { rest, paginate: async (method, params) => (await method(params)).data };
const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 42 } };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('github', 'context', 'require', 'process', script)(github, context, require, process)
  .then(() => console.log(JSON.stringify({ calls, comments: state.comments })))
  .catch((e) => { console.error(e); process.exit(1); });
"""


def github():
    if shutil.which("node") is None:
        print("ci_comment: GitHub skipped: node is not installed")
        return False
    with open("ci/github/archsim.yml", encoding="utf-8") as f:
        steps = [s for job in yaml.safe_load(f)["jobs"].values() for s in job["steps"]]
    scripts = [s["with"]["script"] for s in steps if s.get("uses", "").startswith("actions/github-script@")]
    check(len(scripts) == 1, f"GitHub: expected one github-script step, found {len(scripts)}")
    if not scripts:
        return True
    with tempfile.TemporaryDirectory() as scratch:
        for name, text in (("harness.js", GITHUB_HARNESS), ("script.js", scripts[0])):
            with open(os.path.join(scratch, name), "w", encoding="utf-8") as f:
                f.write(text)
        os.mkdir(os.path.join(scratch, "out"))
        state = {"comments": [{"id": 1, "body": "quoting " + MARKER, "user": {"type": "User"}}]}

        def push(comment):
            put_comment(scratch, comment)
            with open(os.path.join(scratch, "state.json"), "w", encoding="utf-8") as f:
                json.dump(state, f)
            result = subprocess.run(["node", "harness.js", "script.js", "state.json"], cwd=scratch, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True, env=dict(os.environ, ARCHSIM_SCENARIO="scenarios/adr0005.yaml"))
            if result.returncode != 0:
                problems.append(f"GitHub: the script failed: {result.stdout}")
                return []
            out = json.loads(result.stdout.strip().splitlines()[-1])
            state["comments"] = out["comments"]
            return [c[0] for c in out["calls"]]

        calls = push(f"{MARKER}\n## archsim: first push\n")
        check(calls == ["list", "create"], f"GitHub: the first push made {calls}, expected list then create")
        calls = push(f"{MARKER}\n## archsim: second push\n")
        check(calls == ["list", "update"], f"GitHub: the second push made {calls}, expected list then update")
        ours = [c for c in state["comments"] if c["user"]["type"] == "Bot"]
        check(len(ours) == 1 and ours[0]["body"].endswith("second push\n"), f"GitHub: the comments are {state['comments']}")
        check(state["comments"][0]["body"] == "quoting " + MARKER, "GitHub: a person's comment quoting the marker was edited")
        calls = push("## archsim: no marker\n")
        check(calls == ["list", "create"] and state["comments"][-1]["body"].startswith("<!-- archsim:scenarios/adr0005.yaml -->\n"),
              f"GitHub: a Markdown without a marker: {calls} {state['comments'][-1]}")
        calls = push(None)
        check(calls == [], f"GitHub: no Markdown still called {calls}")
    return True


def main():
    ran = [gitlab(), github()]
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    if not any(ran):
        return 77
    print(f"ci_comment: ok (GitLab {'run' if ran[0] else 'skipped'}, GitHub {'run' if ran[1] else 'skipped'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
