#!/usr/bin/python3
"""The pages' speed as a volunteer sees it (issue 11), in headless Chromium.

- Dashboard: a door station paired with the hub redeems a ticket (a real
  `checkin redeem` through the hub); from the decision's time (the hub's
  clock, taken before its durable commit, so the figure is if anything
  high) to the moment the open dashboard's count shows it, read by a
  MutationObserver in the page. N redeems, one at a time.
- Door screen: a paired `checkin scan --source keyboard --ui` station is fed
  codes; from the decision's time in its JSON line to the banner showing it.
- Page weight (bytes the browser received for the page and its assets) and
  first contentful paint of each page, on loopback.

Goals: p99 < 500 ms for both latencies; each page under 300 KB; first paint
under 1 s. Nothing here asserts a wall-clock figure: it prints them, and
the goals are compared in bench/RESULTS.md.

Run: `make bench`, or `/usr/bin/python3 bench/web_bench.py --checkin
build/bench/cli/checkin [--n 200]` (a Release build).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "web"))
import harness  # noqa: E402  (the tests' browser and hub fixtures)

# Records (text, Date.now()) each time the element's text changes.
OBSERVE = """
const el = document.getElementById(arguments[0]);
window.__seen = [];
new MutationObserver(() => window.__seen.push([el.textContent, Date.now()]))
  .observe(el, {childList: true, characterData: true, subtree: true});
"""

# The page's own files only (not the JSON it fetches), by decoded size:
# what a first visit with an empty cache downloads.
PAGE_COST = """
const nav = performance.getEntriesByType('navigation')[0];
const res = performance.getEntriesByType('resource').filter((r) => !r.name.includes('/api/'));
const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
let bytes = nav.decodedBodySize;
for (const r of res) bytes += r.decodedBodySize;
return [bytes, paint ? paint.startTime : -1, res.length];
"""


def roster(n):
    lines = ["ticket_code,first_name,last_name,email,company,ticket_type,status,ticket_id"]
    for i in range(n):
        lines.append(f"WB-{i:05d},Persona,Número {i},p{i}@example.org,Empresa {i % 7},"
                     f"{'General' if i % 5 else 'Estudiante'},valid,T{i}")
    return "\n".join(lines) + "\n"


def epoch_ms(utc_text):
    return datetime.strptime(utc_text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=timezone.utc).timestamp() * 1000


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def wait_seen(driver, predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for text, t in driver.execute_script("return window.__seen;"):
            if predicate(text):
                return t
        time.sleep(0.005)
    raise AssertionError("the page never showed it")


def pair(hub, name):
    added = hub.run(["hub", "device", "add", name, "--role", "scan", "--url", hub.url,
                     "--json"])
    config = os.path.join(hub.dir, f"{name}.toml")
    hub.run(["--config", config, "station", "pair", json.loads(added.stdout)["pairing_code"]])
    return config


def login(hub, driver, role):
    link = json.loads(hub.run(["hub", "open", "--role", role, "--url", hub.url,
                               "--json"]).stdout)["url"]
    driver.get(link)


def dashboard_latency(hub, driver, config, codes):
    login(hub, driver, "admin")
    harness.wait_until(lambda: driver.find_element("id", "checked-in").text.isdigit())
    base = int(driver.find_element("id", "checked-in").text)
    driver.execute_script(OBSERVE, "checked-in")
    out = []
    for i, code in enumerate(codes):
        done = subprocess.run([hub.binary, "--config", config, "redeem", code, "--gate",
                               "Principal", "--json"], capture_output=True, text=True,
                              timeout=60, check=True)
        at = epoch_ms(json.loads(done.stdout)["at"])
        want = str(base + i + 1)
        shown = wait_seen(driver, lambda text, want=want: text.replace(".", "") == want)
        out.append(shown - at)
    return out


def door_latency(hub, driver, config, codes):
    scan = subprocess.Popen([hub.binary, "--config", config, "scan", "--source", "keyboard",
                             "--ui", "127.0.0.1:0", "--json", "--headless", "--gate",
                             "Principal"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, bufsize=1, cwd=hub.dir)
    try:
        url = None
        deadline = time.monotonic() + 30
        while url is None and time.monotonic() < deadline:
            line = scan.stderr.readline()
            if "door_screen" in line:
                url = json.loads(line)["door_screen"]
        if url is None:
            raise AssertionError("scan --ui printed no link")
        driver.get(url)
        harness.wait_until(lambda: driver.find_element("id", "label").text)
        time.sleep(0.5)
        door_page = driver.execute_script(PAGE_COST)
        driver.execute_script(OBSERVE, "name")
        out = []
        for i, code in enumerate(codes):
            scan.stdin.write(code + "\n")
            scan.stdin.flush()
            decision = json.loads(scan.stdout.readline())
            at = epoch_ms(decision["ts"])  # the decision's time, as in `redeem`
            want = f"Persona Número {int(code[3:])}"
            shown = wait_seen(driver, lambda text, want=want: text == want)
            out.append(shown - at)
            driver.execute_script("window.__seen = [];")
        return out, door_page
    finally:
        scan.terminate()
        scan.wait(timeout=20)


def page_costs(hub, driver, door_url=None):
    costs = {}
    # An empty cache for every page, as a volunteer's first visit.
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    for role, path in (("desk", "/desk"), ("admin", "/dashboard"), ("admin", "/admin"),
                       ("print", "/print")):
        login(hub, driver, role)
        driver.get(hub.url + path)
        harness.wait_until(lambda: driver.execute_script(
            "return document.readyState === 'complete' && "
            "performance.getEntriesByType('paint').length > 0"))
        time.sleep(0.5)  # the page's own fetches after load
        costs[path] = driver.execute_script(PAGE_COST)
    driver.delete_all_cookies()
    driver.get(hub.url + "/login")
    # Paint is reported after load: without waiting for it, a fast page
    # reads as never painted.
    harness.wait_until(lambda: driver.execute_script(
        "return document.readyState === 'complete' && "
        "performance.getEntriesByType('paint').length > 0"))
    costs["/login"] = driver.execute_script(PAGE_COST)
    return costs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkin", required=True)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    harness.require_browser()
    codes = [f"WB-{i:05d}" for i in range(2 * a.n)]
    results = {}
    with harness.Hub(binary=os.path.abspath(a.checkin), roster=roster(2 * a.n + 10)) as hub:
        dash_config = pair(hub, "bench-north")
        door_config = pair(hub, "bench-south")
        with harness.Browser(1366, 768) as driver:
            results["dashboard_ms"] = dashboard_latency(hub, driver, dash_config, codes[:a.n])
        with harness.Browser(1366, 768) as driver:
            results["door_ms"], door_page = door_latency(hub, driver, door_config, codes[a.n:])
        with harness.Browser(1366, 768) as driver:
            results["pages"] = page_costs(hub, driver)
        results["pages"]["/door (scan --ui)"] = door_page
    print(f"web_bench: {a.n} redeems each, load average before: "
          f"{open('/proc/loadavg').read().split()[:3]}")
    lines = []
    for key, goal in (("dashboard_ms", 500), ("door_ms", 500)):
        v = results[key]
        p50, p99 = percentile(v, 50), percentile(v, 99)
        verdict = "PASS" if p99 < goal else "FAIL"
        print(f"  {key[:-3]:<10} redeem committed -> visible  p50 {p50:7.1f}  p99 {p99:7.1f}"
              f"  max {max(v):7.1f} ms   goal p99 < {goal} ms  {verdict}")
        lines.append({"bench": "web", "name": key, "p50": p50, "p99": p99, "max": max(v)})
    for path, (size, fcp, n) in results["pages"].items():
        print(f"  {path:<18} {size / 1024:6.1f} KB in {n + 1} files  first paint {fcp:6.1f} ms"
              f"   goals < 300 KB, < 1000 ms  "
              f"{'PASS' if size < 300 * 1024 and 0 <= fcp < 1000 else 'FAIL'}")
        lines.append({"bench": "web", "name": "page " + path, "bytes": size, "fcp_ms": fcp})
    if a.out:
        with open(a.out, "a") as f:
            for line in lines:
                f.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
