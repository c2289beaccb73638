#!/usr/bin/env python3
"""tests/install/ci_comment.py: the CI recipes' comment steps keep one comment per scenario.

Runs the comment step of each recipe under ci/ as the CI service would, with the recipe's own
variables, against a stand-in for its API, push after push, and checks that:
- the first push adds a comment opening with archsim's hidden marker, and the next edits that
  same comment instead of adding one;
- only this job's comment on this scenario is ever edited: never a person's or another bot's
  comment that quotes (or even opens with) the marker, a GitLab system note, or the job's own
  comment on another scenario; and the GitLab notes are read page after page;
- a push for which archsim wrote no Markdown (--comment-only-if) posts nothing, but turns the
  earlier comment into a note that its comparison is out of date (the marker then comes from the
  head's report.md);
- a Markdown without a marker gets one from the scenario's path.

- GitLab: the `script` entry that posts the note, run by bash (-e, pipefail, as the runner does)
  with curl and jq against a local HTTP server answering the user and merge-request notes API.
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
import urllib.parse

import yaml

MARKER = "<!-- archsim:adr0005-networking-model -->"
OTHER = "<!-- archsim:other-scenario -->"
PATH_MARKER = "<!-- archsim:scenarios/adr0005.yaml -->"
problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def put_file(scratch, name, text):
    """Leaves out/<name> holding `text`, as a run left it; None: the run wrote no such file."""
    path = os.path.join(scratch, "out", *name.split("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if text is None:
        if os.path.exists(path):
            os.remove(path)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def push(scratch, comment, report):
    """One push's outputs: out/comment.md (archsim diff's Markdown) and out/head/report.md."""
    put_file(scratch, "comment.md", comment)
    put_file(scratch, "head/report.md", report)


def stale_note(body, marker, condition):
    return body.startswith(marker + "\n") and "earlier push" in body and f"--comment-only-if {condition}" in body


# ---------------------------------------------------------------- GitLab

BOT = 9  # the user the token belongs to
PAGE = 2  # notes per page, whatever per_page asks, so that the recipe must page


class Notes(http.server.BaseHTTPRequestHandler):
    notes = []  # dicts: id, body, system, author {id}
    calls = []

    def log_message(self, *args):
        pass

    def reply(self, status, data, headers=()):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def authorised(self):
        if self.headers.get("PRIVATE-TOKEN") != "token":
            self.reply(401, {"message": "401 Unauthorized"})
            return False
        return True

    def do_GET(self):
        Notes.calls.append(("GET", self.path))
        if not self.authorised():
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/api/v4/user":
            return self.reply(200, {"id": BOT, "username": "project_7_bot"})
        page = int(urllib.parse.parse_qs(url.query).get("page", ["1"])[0])
        ordered = sorted(Notes.notes, key=lambda n: -n["id"])
        more = page * PAGE < len(ordered)
        self.reply(200, ordered[(page - 1) * PAGE:page * PAGE], [("X-Next-Page", str(page + 1) if more else "")])

    def do_POST(self):
        Notes.calls.append(("POST", self.path))
        if not self.authorised():
            return
        data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        note = {"id": 100 + len(Notes.notes), "body": data["body"], "system": False, "author": {"id": BOT}}
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


def writes():
    """The POSTs and PUTs of the last push, as (method, note id or None)."""
    return [(m, None if m == "POST" else int(path.rsplit("/", 1)[1])) for m, path in Notes.calls if m != "GET"]


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
            env = dict(os.environ, **{k: str(v) for k, v in job.get("variables", {}).items()})
            env.update(ARCHSIM_GITLAB_TOKEN="token", CI_API_V4_URL=f"http://127.0.0.1:{server.server_port}/api/v4",
                       CI_PROJECT_ID="7", CI_MERGE_REQUEST_IID="42", CI_COMMIT_SHORT_SHA="abc123", gate_status="0")
            condition = env.get("ARCHSIM_COMMENT_ONLY_IF")
            check(condition in ("changed", "failing", "always"), f"GitLab: the job's ARCHSIM_COMMENT_ONLY_IF is {condition!r}")

            def run(comment, report=f"{MARKER}\n# archsim: report\n"):
                push(scratch, comment, report)
                Notes.calls.clear()
                return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", steps[0]], cwd=scratch, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True)

            # Notes that must never be edited, spread over pages: a system note and a person's
            # note opening with the marker, the bot's note on another scenario, a bot note that
            # only quotes the marker.
            others = [{"id": 1, "body": "unrelated", "system": False, "author": {"id": 5}},
                      {"id": 2, "body": MARKER + " changed the description", "system": True, "author": {"id": BOT}},
                      {"id": 3, "body": MARKER + "\ncopied from the bot's note", "system": False, "author": {"id": 5}},
                      {"id": 4, "body": OTHER + "\n## archsim: the other scenario\n", "system": False, "author": {"id": BOT}},
                      {"id": 5, "body": "see " + MARKER, "system": False, "author": {"id": BOT}}]
            Notes.notes[:] = [dict(n) for n in others]
            untouched = lambda: all(n == o for n, o in zip(Notes.notes, others))
            first = run(f"{MARKER}\n## archsim: first push\n")
            check(first.returncode == 0, f"GitLab: the first push failed: {first.stdout}")
            check(writes() == [("POST", None)], f"GitLab: the first push made {Notes.calls}, expected reads then one POST")
            check(sum(1 for c in Notes.calls if "/notes" in c[1] and c[0] == "GET") == 3, f"GitLab: not every page of notes was read: {Notes.calls}")
            check(Notes.notes[-1]["body"] == f"{MARKER}\n## archsim: first push\n" and untouched(), f"GitLab: after the first push the notes are {Notes.notes}")
            check(all("/projects/7/merge_requests/42/notes" in c[1] or c[1] == "/api/v4/user" for c in Notes.calls),
                  f"GitLab: calls outside the merge request's notes: {Notes.calls}")
            ours = Notes.notes[-1]["id"]
            second = run(f"{MARKER}\n## archsim: second push\n")
            check(second.returncode == 0, f"GitLab: the second push failed: {second.stdout}")
            check(writes() == [("PUT", ours)], f"GitLab: the second push made {Notes.calls}, expected a PUT on note {ours}")
            check(Notes.notes[-1]["body"].endswith("second push\n") and untouched(), f"GitLab: after the second push the notes are {Notes.notes}")
            # archsim wrote no Markdown: the earlier comparison is marked out of date, found by
            # the marker of the head's report.md.
            quiet = run(None)
            check(quiet.returncode == 0 and writes() == [("PUT", ours)] and stale_note(Notes.notes[-1]["body"], MARKER, condition) and untouched(),
                  f"GitLab: no Markdown after a comparison: {Notes.calls} {Notes.notes[-1]} {quiet.stdout}")
            # No Markdown and no earlier note of this scenario: nothing is posted.
            silent = run(None, "<!-- archsim:never-commented -->\n# archsim\n")
            check(silent.returncode == 0 and writes() == [], f"GitLab: no Markdown and no earlier note still wrote {Notes.calls}: {silent.stdout}")
            # Without a marker anywhere, the scenario's path makes one.
            unmarked = run("## archsim: no marker\n", None)
            check(unmarked.returncode == 0 and writes() == [("POST", None)] and Notes.notes[-1]["body"].startswith(PATH_MARKER + "\n"),
                  f"GitLab: a Markdown without a marker: {Notes.calls} {Notes.notes[-1]} {unmarked.stdout}")
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
  createComment: async (p) => { calls.push(['create', p]); state.comments.push({ id: 500 + state.comments.length, body: p.body, user: { type: 'Bot', login: 'github-actions[bot]' } }); },
} };
const github = { rest, paginate: async (method, params) => (await method(params)).data };
const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 42 }, payload: { pull_request: { head: { sha: 'abc123def4567890' } } } };
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
        workflow = yaml.safe_load(f)
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    scripts = [s for s in steps if s.get("uses", "").startswith("actions/github-script@")]
    check(len(scripts) == 1, f"GitHub: expected one github-script step, found {len(scripts)}")
    if not scripts:
        return True
    env = dict(os.environ, **{k: str(v) for k, v in workflow.get("env", {}).items()})
    env.update({k: str(v) for k, v in scripts[0].get("env", {}).items()})
    condition = env.get("ARCHSIM_COMMENT_ONLY_IF")
    check(condition in ("changed", "failing", "always"), f"GitHub: the workflow's ARCHSIM_COMMENT_ONLY_IF is {condition!r}")
    with tempfile.TemporaryDirectory() as scratch:
        for name, text in (("harness.js", GITHUB_HARNESS), ("script.js", scripts[0]["with"]["script"])):
            with open(os.path.join(scratch, name), "w", encoding="utf-8") as f:
                f.write(text)
        os.mkdir(os.path.join(scratch, "out"))
        others = [{"id": 1, "body": "quoting " + MARKER, "user": {"type": "User", "login": "alice"}},
                  {"id": 2, "body": MARKER + "\ncopied by a person", "user": {"type": "User", "login": "alice"}},
                  {"id": 3, "body": MARKER + "\nanother bot's", "user": {"type": "Bot", "login": "renovate[bot]"}},
                  {"id": 4, "body": OTHER + "\n## archsim: the other scenario\n", "user": {"type": "Bot", "login": "github-actions[bot]"}},
                  {"id": 5, "body": "see " + MARKER, "user": {"type": "Bot", "login": "github-actions[bot]"}}]
        state = {"comments": [dict(c) for c in others]}

        def run(comment, report=f"{MARKER}\n# archsim: report\n"):
            push(scratch, comment, report)
            with open(os.path.join(scratch, "state.json"), "w", encoding="utf-8") as f:
                json.dump(state, f)
            result = subprocess.run(["node", "harness.js", "script.js", "state.json"], cwd=scratch, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True, env=env)
            if result.returncode != 0:
                problems.append(f"GitHub: the script failed: {result.stdout}")
                return []
            out = json.loads(result.stdout.strip().splitlines()[-1])
            state["comments"] = out["comments"]
            return [(c[0], c[1].get("comment_id")) for c in out["calls"] if c[0] != "list"]

        untouched = lambda: all(c == o for c, o in zip(state["comments"], others))
        calls = run(f"{MARKER}\n## archsim: first push\n")
        check(calls == [("create", None)] and untouched(), f"GitHub: the first push made {calls}, expected one create: {state['comments']}")
        ours = state["comments"][-1]["id"]
        calls = run(f"{MARKER}\n## archsim: second push\n")
        check(calls == [("update", ours)], f"GitHub: the second push made {calls}, expected an update of comment {ours}")
        check(state["comments"][-1]["body"].endswith("second push\n") and untouched(), f"GitHub: the comments are {state['comments']}")
        calls = run(None)
        check(calls == [("update", ours)] and stale_note(state["comments"][-1]["body"], MARKER, condition) and untouched(),
              f"GitHub: no Markdown after a comparison: {calls} {state['comments'][-1]}")
        calls = run(None, "<!-- archsim:never-commented -->\n# archsim\n")
        check(calls == [], f"GitHub: no Markdown and no earlier comment still made {calls}")
        calls = run("## archsim: no marker\n", None)
        check(calls == [("create", None)] and state["comments"][-1]["body"].startswith(PATH_MARKER + "\n"),
              f"GitHub: a Markdown without a marker: {calls} {state['comments'][-1]}")
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
