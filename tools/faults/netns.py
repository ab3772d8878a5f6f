"""Network namespaces for partition tests.

Each node gets a namespace `<prefix>N` with one veth whose other end is on a bridge in the root
namespace; the root namespace holds the bridge address, so clients (this test process) reach every
node, and the nodes reach each other through the bridge. A partition is iptables DROP rules inside
the isolated node's namespace (INPUT from and OUTPUT to each peer), so the client keeps talking to
the isolated node: that is how a test sees what a minority does.

The addresses are the project's own test hosts inside namespaces made here, nothing else; the
subnet is FAULTS_NETNS_SUBNET (three octets), by default a 10.213.X.0/24 that no route uses yet,
so that runs side by side (two worktrees) do not answer each other's connections. Setup needs root, `ip netns` and
iptables; `unavailable()` says why not, for pytest.skip. Teardown removes everything it made and
is safe to call twice.
"""

import os
import shutil
import subprocess

SUBNET = os.environ.get("FAULTS_NETNS_SUBNET")  # three octets; default: a free 10.213.X
BRIDGE_HOST = 254


def _run(*args, ns=None, check=True):
    cmd = (["ip", "netns", "exec", ns] if ns else []) + list(args)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()}")
    return r


def free_subnet(seed):
    """A 10.213.X /24 that no route on this machine covers yet (another run's bridge, say),
    starting the search at X = seed mod 250."""
    routes = _run("ip", "-4", "route", "show").stdout
    for i in range(250):
        candidate = f"10.213.{(seed + i) % 250 + 1}"
        if f"{candidate}.0/24" not in routes:
            return candidate
    raise RuntimeError("no free 10.213.X.0/24 subnet for the test namespaces")


def unavailable():
    """None if namespaces with iptables work here, else the reason."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    for tool in ("ip", "iptables"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install {'iproute2' if tool == 'ip' else 'iptables'})"
    probe = f"sluice-probe-{os.getpid()}"
    try:
        r = _run("ip", "netns", "add", probe, check=False)
        if r.returncode != 0:
            return f"ip netns add does not work here: {r.stderr.strip()}"
        r = _run("iptables", "-L", "INPUT", "-n", ns=probe, check=False)
        if r.returncode != 0:
            return f"iptables does not work inside a namespace: {r.stderr.strip()}"
    finally:
        _run("ip", "netns", "del", probe, check=False)
    return None


def sweep_stale():
    """Removes namespaces and bridges that an earlier run left behind when it died before its
    teardown (their names carry the pid of the run; only those whose process is gone)."""
    def gone(tag):
        return tag.isdigit() and not os.path.exists(f"/proc/{tag}")
    for line in _run("ip", "netns", "list", check=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        parts = name.split("-")
        if len(parts) == 3 and parts[0] == "sluice" and gone(parts[1]):
            _run("ip", "netns", "del", name, check=False)
    for line in _run("ip", "-br", "link", "show", "type", "bridge", check=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        if name.startswith("slb") and gone(name[3:]):
            _run("ip", "link", "del", name, check=False)


class Namespaces:
    """`size` namespaces on one bridge. Names carry `tag` (default: this process id) so that runs
    side by side on one machine do not collide; interface names stay within 15 characters."""

    def __init__(self, size=3, tag=None):
        self.tag = str(tag if tag is not None else os.getpid() % 100000)
        self.size = size
        self.bridge = f"slb{self.tag}"
        self.names = [f"sluice-{self.tag}-{i}" for i in range(1, size + 1)]
        self.subnet = SUBNET or free_subnet(os.getpid())
        self.hosts = [f"{self.subnet}.{i}" for i in range(1, size + 1)]
        self.client_host = f"{self.subnet}.{BRIDGE_HOST}"
        self.isolated = set()

    def setup(self):
        try:
            _run("ip", "link", "add", self.bridge, "type", "bridge")
            _run("ip", "addr", "add", f"{self.client_host}/24", "dev", self.bridge)
            _run("ip", "link", "set", self.bridge, "up")
            for i, (ns, host) in enumerate(zip(self.names, self.hosts), start=1):
                outer = f"slv{self.tag}x{i}"
                _run("ip", "netns", "add", ns)
                _run("ip", "link", "add", outer, "type", "veth", "peer", "name", "eth0", "netns", ns)
                _run("ip", "link", "set", outer, "master", self.bridge)
                _run("ip", "link", "set", outer, "up")
                _run("ip", "addr", "add", f"{host}/24", "dev", "eth0", ns=ns)
                _run("ip", "link", "set", "eth0", "up", ns=ns)
                _run("ip", "link", "set", "lo", "up", ns=ns)
        except Exception:
            self.teardown()
            raise
        return self

    def teardown(self):
        for ns in self.names:
            _run("ip", "netns", "del", ns, check=False)  # takes its veth pair with it
        _run("ip", "link", "del", self.bridge, check=False)
        self.isolated.clear()

    def addresses(self, client_port=9092, raft_port=9093):
        """Cluster addresses: every node on its own IP, the same ports in each namespace."""
        return [(host, client_port, raft_port, ns) for host, ns in zip(self.hosts, self.names)]

    def isolate(self, index):
        """Cuts node `index` (0-based) off from every other node, both directions. The client
        (the bridge address) still reaches it."""
        ns = self.names[index]
        for j, peer in enumerate(self.hosts):
            if j != index:
                _run("iptables", "-A", "INPUT", "-s", peer, "-j", "DROP", ns=ns)
                _run("iptables", "-A", "OUTPUT", "-d", peer, "-j", "DROP", ns=ns)
        self.isolated.add(index)

    def heal(self):
        for index in sorted(self.isolated):
            _run("iptables", "-F", "INPUT", ns=self.names[index])
            _run("iptables", "-F", "OUTPUT", ns=self.names[index])
        self.isolated.clear()

    def reachable(self, index, host, port, timeout=1.0):
        """True if a TCP connection from node `index`'s namespace to host:port opens."""
        code = f"import socket; socket.create_connection(({host!r}, {port}), timeout={timeout}).close()"
        r = _run("python3", "-c", code, ns=self.names[index], check=False)
        return r.returncode == 0


if __name__ == "__main__":
    # A self-check: python3 tools/faults/netns.py (root). A listener in namespace 2; connections
    # from namespace 1 before, during and after isolating node 1, and from the client side.
    import socket
    import time
    reason = unavailable()
    if reason:
        print("unavailable:", reason)
        raise SystemExit(0)
    nets = Namespaces(tag=f"c{os.getpid() % 1000}").setup()
    try:
        server = subprocess.Popen(["ip", "netns", "exec", nets.names[1], "python3", "-c",
                                   "import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
                                   f"s.bind(({nets.hosts[1]!r},7001))\ns.listen()\n"
                                   "while True:\n c,_=s.accept()\n c.close()"])
        try:
            time.sleep(0.5)
            before = nets.reachable(0, nets.hosts[1], 7001)
            nets.isolate(0)
            during = nets.reachable(0, nets.hosts[1], 7001)
            socket.create_connection((nets.hosts[1], 7001), timeout=1).close()  # the client still gets through
            nets.heal()
            after = nets.reachable(0, nets.hosts[1], 7001)
            print(f"node1 -> node2: before {before}, isolated {during}, healed {after}")
            assert before and not during and after
        finally:
            server.kill()
            server.wait(5)
    finally:
        nets.teardown()
    print("netns self-check ok")
