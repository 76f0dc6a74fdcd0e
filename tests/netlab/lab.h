// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <QAbstractSocket>
#include <QHostAddress>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace StreamSwarm::NetLab {

struct CommandResult
{
    int exitCode = -1; // -1 when the program could not start, crashed or ran out of time
    bool finished = false;
    QString out;
    QString err;
    bool succeeded() const { return finished && exitCode == 0; }
};

// One end of a link. An empty namespace name stands for the root namespace.
struct Endpoint
{
    QString ns;
    QString interface;
    QHostAddress ipv4;
    int ipv4PrefixLength = 0;
    QHostAddress ipv6; // null when the link carries no IPv6
    int ipv6PrefixLength = 0;

    QHostAddress address(QAbstractSocket::NetworkLayerProtocol protocol = QAbstractSocket::IPv4Protocol) const
    {
        return protocol == QAbstractSocket::IPv6Protocol ? ipv6 : ipv4;
    }
};

// A veth pair: end a holds the subnet's first host address, end b the second.
struct Link
{
    Endpoint a;
    Endpoint b;
};

// client -> r1 -> ... -> rn -> server. links[i] joins node i and node i + 1, node 0 being the client;
// on each link the node nearer the client is end a.
struct RouterChain
{
    QString client;
    QStringList routers;
    QString server;
    QList<Link> links;

    QHostAddress serverAddress(QAbstractSocket::NetworkLayerProtocol protocol = QAbstractSocket::IPv4Protocol) const
    {
        return links.isEmpty() ? QHostAddress() : links.constLast().b.address(protocol);
    }
    // The interface of routers.at(router) that faces the client: traffic towards the server comes in on it.
    QString clientSideInterface(int router) const { return links.value(router).b.interface; }
    // What traceroute from the client lists: each router's address on the client's side, then the server's.
    QList<QHostAddress> hops(QAbstractSocket::NetworkLayerProtocol protocol = QAbstractSocket::IPv4Protocol) const
    {
        QList<QHostAddress> result;
        for (const Link &link : links)
            result.append(link.b.address(protocol));
        return result;
    }
};

// Puts the calling thread into a lab namespace (by its system name, Lab::namespaceName) while in
// scope. A socket stays in the namespace it was made in, so a probe's sockets made meanwhile measure
// from there while the rest of the test, the lab's own commands included, runs in the root namespace.
class InNamespace
{
public:
    explicit InNamespace(const QString &systemName);
    ~InNamespace();
    Q_DISABLE_COPY_MOVE(InNamespace)
    bool entered() const { return m_entered; }

private:
    int m_home = -1;
    bool m_entered = false;
};

// How setLinkUp(link, false) cuts a link.
enum class Cut {
    // Both ends silently drop all they send (a blackhole root qdisc, replacing any other root qdisc):
    // addresses, routes and carrier stay, as when the path breaks further away.
    Silent,
    // End a goes administratively down, so end b sees no carrier, as when a cable is pulled. Restoring
    // brings it up and puts back the link's addresses and the lab's routes.
    Carrier,
};

// A delay element in a lab router (Lab::delayForwarded): every packet the router forwards, or only
// those that came in on one of its interfaces, is held for delayMs (plus jitter), then sent on.
struct ForwardDelay
{
    double delayMs = 0;
    double jitterMs = 0; // each packet's delay is uniform in [delay - jitter, delay + jitter], never below 0
    quint64 seed = 1; // the n-th packet held takes the n-th draw for its jitter
    QString inInterface; // only packets that came in on this interface of the router; empty: all it forwards
    QString truthFile; // one line per packet (tests/netlab/README.md); empty: none
    int queueMaxLength = 8192; // packets held at once; beyond that the kernel drops (or, fail-open, passes)
    bool failOpen = false;
};

// A network lab of namespaces, veth links and processes for one test, owned by one thread. Everything
// it creates is removed by its destructor; a crashed run's leftovers (named after a dead PID) are
// removed when the next lab is made. Needs root and iproute2 (and iptables for delays); each external
// command is bounded in time.
// Only addresses inside the lab's namespaces (or loopback) may ever be a test's target.
class Lab
{
public:
    Lab();
    ~Lab();
    Q_DISABLE_COPY_MOVE(Lab)

    // Whether labs can be made here (root, iproute2, network namespaces); if not, why.
    static bool available(QString *why = nullptr);
    // Whether these programs are installed (in PATH or an sbin folder); if not, which is missing and how
    // to install it.
    static bool installed(const QStringList &programs, QString *why = nullptr);
    // Removes namespaces and root-namespace interfaces left by labs of processes that are gone.
    static int removeStale();
    // streamswarm-netlab-responder as built (STREAMSWARM_NETLAB_RESPONDER in the environment overrides).
    static QString responderProgram();
    // streamswarm-netlab-delay as built (STREAMSWARM_NETLAB_DELAY in the environment overrides).
    static QString delayProgram();
    // The name prefix of everything this lab creates, e.g. "snl4242-0-".
    QString prefix() const { return m_prefix; }
    // The system's name of a lab namespace (for `ip netns exec`); empty for the root namespace.
    QString namespaceName(const QString &ns) const;
    QStringList namespaces() const { return m_namespaces; }
    QList<Link> links() const;

    // A new namespace with loopback up and IPv6 duplicate address detection off. Names: letters,
    // digits, '-' and '_', at most 32.
    bool addNamespace(const QString &ns, QString *error = nullptr);
    // A veth pair between namespaces a and b (either may be "" for the root namespace), up, with the
    // first two host addresses of ipv4Subnet ("10.9.1.0/30") and optionally of ipv6Subnet
    // ("fd00:9:1::/64"). A subnet already used in the root namespace is refused; there the subnets
    // also get a route of last resort that drops, so a cut never sends lab traffic out of the host.
    std::optional<Link> connect(const QString &a, const QString &b, const QString &ipv4Subnet,
        const QString &ipv6Subnet = {}, QString *error = nullptr);
    // Cuts (up = false) or restores (up = true) a link.
    bool setLinkUp(const Link &link, bool up, Cut how = Cut::Silent, QString *error = nullptr);
    // Waits (bounded) until every link end made or restored since the last call really carries traffic:
    // operationally up and, with IPv6, holding a usable link-local address. The kernel settles a new
    // veth end up to a second late and drops what it sends meanwhile. run(), startProcess() and
    // startResponder() call this first; call it yourself before sending from this process.
    bool settle(QString *error = nullptr) const;
    // A route in namespace ns: destination is a prefix ("10.9.0.0/16") or "default" (not in the root
    // namespace, where the route also gets a guard like a link's subnets).
    bool addRoute(const QString &ns, const QString &destination, const QHostAddress &via, QString *error = nullptr);
    // client -> r1 -> ... -> rn -> server with forwarding and routes both ways, IPv4 and IPv6, and
    // ICMP error rate limits off so that every hop answers every probe. Namespaces are named client,
    // r1 ... rn, server (prefixed "chainK-" for the K-th further chain of this lab).
    std::optional<RouterChain> routerChain(int routers, QString *error = nullptr);
    // Sets a sysctl inside a lab namespace (never the root namespace's): sysctl(ns, "net.ipv4.ip_forward", "1").
    bool sysctl(const QString &ns, const QString &key, const QString &value, QString *error = nullptr);

    // Runs a program inside ns to completion, bounded by timeoutMs.
    CommandResult run(
        const QString &ns, const QString &program, const QStringList &arguments, int timeoutMs = 30000) const;
    // Starts a program inside ns; the lab owns the process and ends it (SIGTERM, then SIGKILL) when
    // it is destroyed, and the kernel kills it if the starting thread dies first (PR_SET_PDEATHSIG).
    // Returns nullptr and a sentence when it cannot start.
    QProcess *startProcess(
        const QString &ns, const QString &program, const QStringList &arguments, QString *error = nullptr);
    // Starts the responder inside ns with these options and waits (bounded) for its "ready" line.
    QProcess *startResponder(const QString &ns, const QStringList &arguments, QString *error = nullptr);
    // Makes router ns hold the packets it forwards (IPv4 and IPv6) for a programmed delay: starts the
    // delay program there, waits for it, then queues the router's FORWARD chain to it (iptables
    // NFQUEUE). What the router sends itself, such as its ICMP time exceeded, is not delayed, and
    // neither is a packet whose TTL ends at this router (that happens before the FORWARD hook). A
    // packet that crosses the router both ways is delayed both ways unless inInterface picks one.
    // Returns the delay program (its summary comes on stdout when it stops), or nullptr and a sentence.
    QProcess *delayForwarded(const QString &ns, const ForwardDelay &delay, QString *error = nullptr);
    // Takes a delay element out: its rules first, then the program, which sends on at once what it
    // still holds. Whether both went cleanly. The lab's destructor stops every element left and the
    // rules go with their namespace.
    bool removeDelay(QProcess *delay, QString *error = nullptr);
    // SIGTERM, then SIGKILL after timeoutMs; whether it ended by itself with exit code 0.
    static bool stopProcess(QProcess *process, int timeoutMs = 5000);

private:
    struct Route
    {
        QString ns;
        QString destination;
        QHostAddress via;
    };
    struct DelayElement
    {
        QString ns;
        QProcess *process = nullptr;
        QList<QStringList> rules; // program and rule specification, as appended to the FORWARD chain
    };

    bool knows(const QString &ns) const;
    std::pair<QString, QStringList> inNamespace(
        const QString &ns, const QString &program, const QStringList &arguments) const;
    bool ip(const QString &ns, const QStringList &arguments, const QString &what, QString *error) const;
    bool tc(const QString &ns, const QStringList &arguments, const QString &what, QString *error) const;
    bool addAddresses(const Endpoint &end, QString *error) const;
    bool applyRoute(const Route &route, QString *error) const;
    bool guardRootRoute(const QString &prefix, QString *error);
    bool waitForReady(QProcess *process, const QString &what, QString *error) const;
    bool removeRules(DelayElement &element, QString *error) const;

    int m_index = 0;
    QString m_prefix;
    QString m_guard; // a root-namespace veth end without carrier: the route of last resort for lab subnets
    QStringList m_namespaces;
    QList<Link> m_links;
    QList<Route> m_routes;
    QStringList m_cutSilently; // interfaces with a blackhole root qdisc
    QStringList m_cutCarrier; // interfaces set down
    mutable QList<Endpoint> m_unsettled;
    int m_chains = 0;
    std::vector<std::unique_ptr<QProcess>> m_processes;
    QList<DelayElement> m_delays; // each one's queue number is its index
};

} // namespace StreamSwarm::NetLab
