// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "lab.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>

#include <sys/prctl.h>
#include <sys/stat.h>

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace StreamSwarm::NetLab {

namespace {

constexpr int COMMAND_TIMEOUT_MS = 10000;
constexpr int READY_TIMEOUT_MS = 5000;
constexpr int SETTLE_TIMEOUT_MS = 5000;
constexpr int SETTLE_POLL_MS = 10;
constexpr int MAX_INTERFACE_NAME = 15;
constexpr int MAX_ROUTERS = 50;
constexpr int MAX_CHAINS = 50;
constexpr auto GUARD_METRIC = "4294967295"; // the last resort, behind the link's own route
// Everything a lab names starts with "snl<pid>": a namespace "snl<pid>-<lab>-<name>", a veth end
// "snl<pid>x<number><a|b>", a guard "snl<pid>g<lab>" (peer "...h<lab>"). That PID is how a later
// run knows what a crashed one left behind.
const QString NAME_PREFIX = u"snl"_s;

std::atomic<int> s_labCount{0};
std::atomic<int> s_linkCount{0};

QString findProgram(const QString &name)
{
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(name, {u"/usr/sbin"_s, u"/sbin"_s, u"/usr/bin"_s, u"/bin"_s});
    return path;
}

QString ipProgram()
{
    static const QString path = findProgram(u"ip"_s);
    return path;
}

QString tcProgram()
{
    static const QString path = findProgram(u"tc"_s);
    return path;
}

// iptables and ip6tables (Debian's default: the nft variants; their NFQUEUE target goes through the
// kernel's xtables compatibility, which this kernel has, while nftables' own queue statement it lacks).
QString iptablesProgram(bool v6)
{
    static const QString v4Path = findProgram(u"iptables"_s);
    static const QString v6Path = findProgram(u"ip6tables"_s);
    return v6 ? v6Path : v4Path;
}

// nsenter (util-linux, always there) enters only the network namespace. `ip netns exec` and `ip -n`
// also make a private mount namespace, which fails where / is not a mount point (a plain chroot).
QString nsenterProgram()
{
    static const QString path = findProgram(u"nsenter"_s);
    return path;
}

// What the lab starts dies with the thread that started it, even by SIGKILL: a crashed test leaves no
// prober in the root namespace still sending to lab addresses once their guard is gone.
void dieWithUs(QProcess &process)
{
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

CommandResult execute(const QString &program, const QStringList &arguments, int timeoutMs = COMMAND_TIMEOUT_MS)
{
    CommandResult result;
    if (program.isEmpty()) {
        result.err = u"program not found"_s;
        return result;
    }
    QProcess process;
    dieWithUs(process);
    process.start(program, arguments);
    if (!process.waitForStarted(timeoutMs)) {
        result.err = process.errorString();
        return result;
    }
    result.finished = process.waitForFinished(timeoutMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished(COMMAND_TIMEOUT_MS);
    }
    if (result.finished && process.exitStatus() == QProcess::NormalExit)
        result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    if (!result.finished)
        result.err += u"(timed out after %1 ms)"_s.arg(timeoutMs);
    return result;
}

// The first line of what a failed command said, fit to end a sentence.
QString failureText(const CommandResult &result)
{
    QString text = result.err.trimmed().section(u'\n', 0, 0);
    if (text.isEmpty())
        text = result.out.trimmed().section(u'\n', 0, 0);
    if (text.isEmpty())
        text = result.finished ? u"exit code %1"_s.arg(result.exitCode) : u"it did not finish"_s;
    while (text.endsWith(u'.'))
        text.chop(1);
    return text;
}

bool setError(QString *error, const QString &sentence)
{
    if (error)
        *error = sentence;
    return false;
}

// A zombie is dead too: a crashed test's parent may not have reaped it yet.
bool processAlive(qint64 pid)
{
    if (pid <= 0 || (::kill(pid_t(pid), 0) != 0 && errno != EPERM))
        return false;
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.read(4096);
    const qsizetype close = text.lastIndexOf(')');
    const char state = close >= 0 && close + 2 < text.size() ? text.at(close + 2) : '?';
    return state != 'Z' && state != 'X';
}

// The PID in a lab name ("snl<pid>-..." or "snl<pid>x..."), or 0.
qint64 ownerPid(const QString &name)
{
    static const QRegularExpression pattern(u"^snl(\\d+)[-xgh]"_s);
    const auto match = pattern.match(name);
    return match.hasMatch() ? match.captured(1).toLongLong() : 0;
}

void killNamespaceProcesses(const QString &realName)
{
    const CommandResult pids = execute(ipProgram(), {u"netns"_s, u"pids"_s, realName});
    const QStringList lines = pids.out.split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        const qint64 pid = line.trimmed().toLongLong();
        if (pid > 1 && pid != qint64(getpid()))
            ::kill(pid_t(pid), SIGKILL);
    }
}

void deleteNamespace(const QString &realName)
{
    killNamespaceProcesses(realName);
    const CommandResult result = execute(ipProgram(), {u"netns"_s, u"delete"_s, realName});
    if (!result.succeeded())
        qWarning("netlab: could not delete namespace %s: %s", qPrintable(realName), qPrintable(failureText(result)));
}

QStringList rootInterfaces()
{
    static const QRegularExpression pattern(u"^\\d+:\\s+([^:@\\s]+)"_s, QRegularExpression::MultilineOption);
    QStringList names;
    const CommandResult result = execute(ipProgram(), {u"-o"_s, u"link"_s, u"show"_s});
    auto matches = pattern.globalMatch(result.out);
    while (matches.hasNext())
        names.append(matches.next().captured(1));
    return names;
}

QStringList systemNamespaces()
{
    QStringList names;
    const CommandResult result = execute(ipProgram(), {u"netns"_s, u"list"_s});
    const QStringList lines = result.out.split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines)
        names.append(line.section(u' ', 0, 0));
    return names;
}

// The first two host addresses of a subnet ("10.9.1.0/30" -> 10.9.1.1 and 10.9.1.2; a /31 gives
// both of its addresses), and the subnet written as a route wants it ("10.9.1.0/30").
bool hostPair(const QString &subnet, QAbstractSocket::NetworkLayerProtocol protocol, QHostAddress *first,
    QHostAddress *second, int *prefixLength, QString *prefix, QString *error)
{
    const auto [network, length] = QHostAddress::parseSubnet(subnet);
    const bool v6 = protocol == QAbstractSocket::IPv6Protocol;
    if (network.protocol() != protocol || length < 0)
        return setError(error,
            u"%1 is not an %2 subnet such as %3."_s.arg(
                subnet, v6 ? u"IPv6"_s : u"IPv4"_s, v6 ? u"fd00:9:1::/64"_s : u"10.9.1.0/30"_s));
    if (v6 ? length > 126 : length > 31)
        return setError(error, u"The subnet %1 has room for fewer than two hosts."_s.arg(subnet));
    *prefixLength = length;
    if (!v6) {
        const quint32 mask = length == 0 ? 0 : ~quint32(0) << (32 - length);
        const quint32 base = network.toIPv4Address() & mask;
        const quint32 offset = length == 31 ? 0 : 1;
        *first = QHostAddress(base + offset);
        *second = QHostAddress(base + offset + 1);
        *prefix = u"%1/%2"_s.arg(QHostAddress(base).toString()).arg(length);
        return true;
    }
    Q_IPV6ADDR bytes = network.toIPv6Address();
    for (int bit = length; bit < 128; ++bit)
        bytes[bit / 8] &= quint8(~(0x80u >> (bit % 8)));
    const auto plus = [](Q_IPV6ADDR value, int add) {
        for (int i = 15; i >= 0 && add; --i) {
            const int sum = value[i] + add;
            value[i] = quint8(sum & 0xff);
            add = sum >> 8;
        }
        return QHostAddress(value);
    };
    *first = plus(bytes, 1);
    *second = plus(bytes, 2);
    *prefix = u"%1/%2"_s.arg(QHostAddress(bytes).toString()).arg(length);
    return true;
}

} // namespace

Lab::Lab()
    : m_index(s_labCount.fetch_add(1))
    , m_prefix(u"%1%2-%3-"_s.arg(NAME_PREFIX).arg(getpid()).arg(m_index))
{
    removeStale();
}

Lab::~Lab()
{
    // Delay elements' rules go with their namespaces; meanwhile --queue-bypass passes what they would
    // have queued to a program that has stopped.
    for (const auto &process : m_processes)
        stopProcess(process.get(), 2000);
    m_processes.clear();
    // Deleting one end of a veth pair deletes the other at once; a namespace's own interfaces go
    // with it. Root-namespace ends go first, so that nothing of ours is left there when we return.
    for (const Link &link : std::as_const(m_links)) {
        for (const Endpoint *end : {&link.a, &link.b}) {
            if (end->ns.isEmpty() && rootInterfaces().contains(end->interface))
                execute(ipProgram(), {u"link"_s, u"delete"_s, end->interface});
        }
    }
    for (const QString &ns : std::as_const(m_namespaces))
        deleteNamespace(namespaceName(ns));
    // Last, so that nothing sent to a lab address meanwhile could take the host's default route.
    if (!m_guard.isEmpty())
        execute(ipProgram(), {u"link"_s, u"delete"_s, m_guard});
}

bool Lab::available(QString *why)
{
    if (geteuid() != 0)
        return setError(why, u"The network lab needs root (network namespaces and veth links)."_s);
    if (ipProgram().isEmpty())
        return setError(why, u"The network lab needs the ip program from iproute2."_s);
    if (nsenterProgram().isEmpty())
        return setError(why, u"The network lab needs nsenter from util-linux."_s);
    const QString probe = u"%1%2-probe"_s.arg(NAME_PREFIX).arg(getpid());
    const CommandResult added = execute(ipProgram(), {u"netns"_s, u"add"_s, probe});
    if (!added.succeeded())
        return setError(why, u"This machine cannot make network namespaces: %1."_s.arg(failureText(added)));
    execute(ipProgram(), {u"netns"_s, u"delete"_s, probe});
    return true;
}

bool Lab::installed(const QStringList &programs, QString *why)
{
    for (const QString &program : programs) {
        if (findProgram(program).isEmpty())
            return setError(why, u"%1 is not installed: run scripts/deps test."_s.arg(program));
    }
    return true;
}

int Lab::removeStale()
{
    int removed = 0;
    const QStringList namespaces = systemNamespaces();
    for (const QString &name : namespaces) {
        const qint64 pid = ownerPid(name);
        if (pid > 0 && !processAlive(pid)) {
            deleteNamespace(name);
            ++removed;
        }
    }
    const QStringList interfaces = rootInterfaces();
    for (const QString &name : interfaces) {
        const qint64 pid = ownerPid(name);
        if (pid > 0 && !processAlive(pid)) {
            execute(ipProgram(), {u"link"_s, u"delete"_s, name});
            ++removed;
        }
    }
    return removed;
}

QString Lab::responderProgram()
{
    const QString fromEnvironment = qEnvironmentVariable("STREAMSWARM_NETLAB_RESPONDER");
    return fromEnvironment.isEmpty() ? QStringLiteral(STREAMSWARM_NETLAB_RESPONDER) : fromEnvironment;
}

QString Lab::delayProgram()
{
    const QString fromEnvironment = qEnvironmentVariable("STREAMSWARM_NETLAB_DELAY");
    return fromEnvironment.isEmpty() ? QStringLiteral(STREAMSWARM_NETLAB_DELAY) : fromEnvironment;
}

QString Lab::namespaceName(const QString &ns) const
{
    return ns.isEmpty() ? QString() : m_prefix + ns;
}

QList<Link> Lab::links() const
{
    return m_links;
}

// program and arguments to run inside ns: through nsenter, or as they are for the root namespace.
std::pair<QString, QStringList> Lab::inNamespace(
    const QString &ns, const QString &program, const QStringList &arguments) const
{
    if (ns.isEmpty())
        return {program, arguments};
    return {nsenterProgram(), QStringList{u"--net=/run/netns/"_s + namespaceName(ns), u"--"_s, program} + arguments};
}

bool Lab::knows(const QString &ns) const
{
    return ns.isEmpty() || m_namespaces.contains(ns);
}

bool Lab::ip(const QString &ns, const QStringList &arguments, const QString &what, QString *error) const
{
    const auto [program, all] = inNamespace(ns, ipProgram(), arguments);
    const CommandResult result = execute(program, all);
    return result.succeeded() || setError(error, u"Could not %1: %2."_s.arg(what, failureText(result)));
}

bool Lab::tc(const QString &ns, const QStringList &arguments, const QString &what, QString *error) const
{
    if (tcProgram().isEmpty())
        return setError(error, u"Could not %1: the tc program from iproute2 is missing."_s.arg(what));
    const auto [program, all] = inNamespace(ns, tcProgram(), arguments);
    const CommandResult result = execute(program, all);
    return result.succeeded() || setError(error, u"Could not %1: %2."_s.arg(what, failureText(result)));
}

bool Lab::addNamespace(const QString &ns, QString *error)
{
    static const QRegularExpression valid(u"^[A-Za-z0-9_-]{1,32}$"_s);
    if (!valid.match(ns).hasMatch())
        return setError(error, u"'%1' is not a namespace name: use 1 to 32 letters, digits, '-' or '_'."_s.arg(ns));
    if (m_namespaces.contains(ns))
        return setError(error, u"The lab already has a namespace %1."_s.arg(ns));
    const CommandResult added = execute(ipProgram(), {u"netns"_s, u"add"_s, namespaceName(ns)});
    if (!added.succeeded())
        return setError(error, u"Could not create the namespace %1: %2."_s.arg(ns, failureText(added)));
    m_namespaces.append(ns);
    if (!ip(ns, {u"link"_s, u"set"_s, u"lo"_s, u"up"_s}, u"bring up loopback in %1"_s.arg(ns), error))
        return false;
    // Without duplicate address detection a link's IPv6 link-local address is usable at once; while
    // it is tentative the kernel sends no neighbour solicitation and the first packet waits a second.
    const CommandResult dad = run(ns, u"sysctl"_s,
        {u"-q"_s, u"-w"_s, u"net.ipv6.conf.default.accept_dad=0"_s, u"net.ipv6.conf.all.accept_dad=0"_s},
        COMMAND_TIMEOUT_MS);
    return dad.succeeded()
        || setError(error, u"Could not turn off duplicate address detection in %1: %2."_s.arg(ns, failureText(dad)));
}

// While a lab link ends in the root namespace, its subnets there also have a route of last resort
// through a veth end without carrier, which drops everything: when the link is cut or goes away,
// traffic for the lab's addresses is lost instead of following the host's default route out.
bool Lab::guardRootRoute(const QString &prefix, QString *error)
{
    if (m_guard.isEmpty()) {
        const QString guard = u"%1%2g%3"_s.arg(NAME_PREFIX).arg(getpid()).arg(m_index);
        const QString peer = u"%1%2h%3"_s.arg(NAME_PREFIX).arg(getpid()).arg(m_index);
        if (guard.size() > MAX_INTERFACE_NAME)
            return setError(error, u"This process has made too many labs for 15-character interface names."_s);
        if (!ip({}, {u"link"_s, u"add"_s, guard, u"type"_s, u"veth"_s, u"peer"_s, u"name"_s, peer},
                u"create the root namespace guard"_s, error)) {
            return false;
        }
        m_guard = guard;
        if (!ip({}, {u"link"_s, u"set"_s, guard, u"up"_s}, u"bring up the root namespace guard"_s, error))
            return false;
    }
    const bool v6 = prefix.contains(u':');
    return ip({},
        {v6 ? u"-6"_s : u"-4"_s, u"route"_s, u"replace"_s, prefix, u"dev"_s, m_guard, u"metric"_s,
            QString::fromLatin1(GUARD_METRIC)},
        u"guard %1 in the root namespace"_s.arg(prefix), error);
}

bool Lab::addAddresses(const Endpoint &end, QString *error) const
{
    // "replace" makes this safe to repeat when a link comes back up.
    if (!ip(end.ns,
            {u"-4"_s, u"addr"_s, u"replace"_s, u"%1/%2"_s.arg(end.ipv4.toString()).arg(end.ipv4PrefixLength), u"dev"_s,
                end.interface},
            u"address %1"_s.arg(end.interface), error)) {
        return false;
    }
    // No duplicate address detection: the address is usable at once, not after a second's wait.
    return end.ipv6.isNull()
        || ip(end.ns,
            {u"-6"_s, u"addr"_s, u"replace"_s, u"%1/%2"_s.arg(end.ipv6.toString()).arg(end.ipv6PrefixLength), u"dev"_s,
                end.interface, u"nodad"_s},
            u"address %1"_s.arg(end.interface), error);
}

std::optional<Link> Lab::connect(
    const QString &a, const QString &b, const QString &ipv4Subnet, const QString &ipv6Subnet, QString *error)
{
    for (const QString &ns : {a, b}) {
        if (!knows(ns)) {
            setError(error, u"The lab has no namespace %1."_s.arg(ns));
            return std::nullopt;
        }
    }
    if (a == b) {
        setError(error, u"A link needs two different namespaces."_s);
        return std::nullopt;
    }
    Link link;
    link.a.ns = a;
    link.b.ns = b;
    QStringList prefixes{QString()};
    if (!hostPair(ipv4Subnet, QAbstractSocket::IPv4Protocol, &link.a.ipv4, &link.b.ipv4, &link.a.ipv4PrefixLength,
            &prefixes.first(), error)) {
        return std::nullopt;
    }
    link.b.ipv4PrefixLength = link.a.ipv4PrefixLength;
    if (!ipv6Subnet.isEmpty()) {
        prefixes.append(QString());
        if (!hostPair(ipv6Subnet, QAbstractSocket::IPv6Protocol, &link.a.ipv6, &link.b.ipv6, &link.a.ipv6PrefixLength,
                &prefixes.last(), error)) {
            return std::nullopt;
        }
        link.b.ipv6PrefixLength = link.a.ipv6PrefixLength;
    }
    const bool toRoot = a.isEmpty() || b.isEmpty();
    if (toRoot) {
        // Our addresses in the root namespace must not shadow anything the host already uses.
        for (const QString &prefix : std::as_const(prefixes)) {
            const CommandResult used = execute(ipProgram(), {u"-o"_s, u"addr"_s, u"show"_s, u"to"_s, prefix});
            if (!used.succeeded() || !used.out.trimmed().isEmpty()) {
                setError(error, u"The subnet %1 is already in use in the root namespace."_s.arg(prefix));
                return std::nullopt;
            }
        }
        for (const QString &prefix : std::as_const(prefixes)) {
            if (!guardRootRoute(prefix, error))
                return std::nullopt;
        }
    }
    const int number = s_linkCount.fetch_add(1);
    link.a.interface = u"%1%2x%3a"_s.arg(NAME_PREFIX).arg(getpid()).arg(number);
    link.b.interface = u"%1%2x%3b"_s.arg(NAME_PREFIX).arg(getpid()).arg(number);
    if (link.a.interface.size() > MAX_INTERFACE_NAME) {
        setError(error, u"This process has made too many links for 15-character interface names."_s);
        return std::nullopt;
    }
    // Made in the namespace of one end, with the peer placed in the other's (never the root) at once.
    const bool fromB = b.isEmpty();
    const Endpoint &here = fromB ? link.b : link.a;
    const Endpoint &there = fromB ? link.a : link.b;
    if (!ip(here.ns,
            {u"link"_s, u"add"_s, here.interface, u"type"_s, u"veth"_s, u"peer"_s, u"name"_s, there.interface,
                u"netns"_s, namespaceName(there.ns)},
            u"create a link between %1 and %2"_s.arg(a.isEmpty() ? u"root"_s : a, b.isEmpty() ? u"root"_s : b),
            error)) {
        return std::nullopt;
    }
    m_links.append(link);
    if (toRoot) {
        // Namespaces have DAD off by default (addNamespace); in the root namespace only our own end.
        const Endpoint &rootEnd = a.isEmpty() ? link.a : link.b;
        QFile dad(u"/proc/sys/net/ipv6/conf/%1/accept_dad"_s.arg(rootEnd.interface));
        if (dad.exists() && (!dad.open(QIODevice::WriteOnly) || dad.write("0") != 1)) {
            setError(error, u"Could not turn off duplicate address detection on %1."_s.arg(rootEnd.interface));
            return std::nullopt;
        }
    }
    for (const Endpoint *end : {&link.a, &link.b}) {
        if (!addAddresses(*end, error)
            || !ip(
                end->ns, {u"link"_s, u"set"_s, end->interface, u"up"_s}, u"bring up %1"_s.arg(end->interface), error)) {
            return std::nullopt;
        }
    }
    m_unsettled << link.a << link.b;
    return link;
}

bool Lab::setLinkUp(const Link &link, bool up, Cut how, QString *error)
{
    if (how == Cut::Silent) {
        for (const Endpoint *end : {&link.a, &link.b}) {
            const bool cut = m_cutSilently.contains(end->interface);
            if (!up && !cut) {
                if (!tc(end->ns, {u"qdisc"_s, u"replace"_s, u"dev"_s, end->interface, u"root"_s, u"blackhole"_s},
                        u"cut %1"_s.arg(end->interface), error)) {
                    return false;
                }
                m_cutSilently.append(end->interface);
            } else if (up && cut) {
                if (!tc(end->ns, {u"qdisc"_s, u"delete"_s, u"dev"_s, end->interface, u"root"_s},
                        u"restore %1"_s.arg(end->interface), error)) {
                    return false;
                }
                m_cutSilently.removeAll(end->interface);
            }
        }
        return true;
    }
    const bool cut = m_cutCarrier.contains(link.a.interface);
    if (!up) {
        if (cut)
            return true;
        if (!ip(link.a.ns, {u"link"_s, u"set"_s, link.a.interface, u"down"_s}, u"cut %1"_s.arg(link.a.interface),
                error)) {
            return false;
        }
        m_cutCarrier.append(link.a.interface);
        return true;
    }
    if (!cut)
        return true;
    if (!ip(link.a.ns, {u"link"_s, u"set"_s, link.a.interface, u"up"_s}, u"restore %1"_s.arg(link.a.interface),
            error)) {
        return false;
    }
    m_cutCarrier.removeAll(link.a.interface);
    m_unsettled << link.a << link.b;
    // Going down took end a's routes and IPv6 addresses with it.
    if (!addAddresses(link.a, error) || !addAddresses(link.b, error))
        return false;
    for (const Route &route : std::as_const(m_routes)) {
        if ((route.ns == link.a.ns || route.ns == link.b.ns) && !applyRoute(route, error))
            return false;
    }
    return true;
}

bool Lab::applyRoute(const Route &route, QString *error) const
{
    const bool v6 = route.via.protocol() == QAbstractSocket::IPv6Protocol;
    return ip(route.ns,
        {v6 ? u"-6"_s : u"-4"_s, u"route"_s, u"replace"_s, route.destination, u"via"_s, route.via.toString()},
        u"route %1 via %2"_s.arg(route.destination, route.via.toString()), error);
}

bool Lab::addRoute(const QString &ns, const QString &destination, const QHostAddress &via, QString *error)
{
    if (!knows(ns))
        return setError(error, u"The lab has no namespace %1."_s.arg(ns));
    if (ns.isEmpty()) {
        // In the root namespace a lab route must never be able to fall back to the host's default route.
        const auto [network, length] = QHostAddress::parseSubnet(destination);
        if (network.isNull() || length <= 0 || network.protocol() != via.protocol())
            return setError(error,
                u"In the root namespace a lab route needs a prefix such as 10.9.0.0/16, not %1."_s.arg(destination));
        if (!guardRootRoute(destination, error))
            return false;
    }
    const Route route{ns, destination, via};
    if (!applyRoute(route, error))
        return false;
    m_routes.append(route);
    return true;
}

std::optional<RouterChain> Lab::routerChain(int routers, QString *error)
{
    if (routers < 1 || routers > MAX_ROUTERS) {
        setError(error, u"A router chain has 1 to %1 routers, not %2."_s.arg(MAX_ROUTERS).arg(routers));
        return std::nullopt;
    }
    if (m_chains >= MAX_CHAINS) {
        setError(error, u"A lab holds at most %1 router chains."_s.arg(MAX_CHAINS));
        return std::nullopt;
    }
    const int index = m_chains++;
    const QString namePrefix = index == 0 ? QString() : u"chain%1-"_s.arg(index);
    RouterChain chain;
    chain.client = namePrefix + u"client"_s;
    chain.server = namePrefix + u"server"_s;
    QStringList nodes{chain.client};
    for (int i = 1; i <= routers; ++i)
        chain.routers.append(namePrefix + u"r%1"_s.arg(i));
    nodes += chain.routers;
    nodes.append(chain.server);
    for (const QString &node : std::as_const(nodes)) {
        if (!addNamespace(node, error))
            return std::nullopt;
    }
    // Subnets 10.<200 + chain>.<link>.0/30 and fd00:5e:<chain>:<link>::/64 exist only inside the chain.
    for (int i = 0; i + 1 < nodes.size(); ++i) {
        const auto link = connect(nodes.at(i), nodes.at(i + 1), u"10.%1.%2.0/30"_s.arg(200 + index).arg(i),
            u"fd00:5e:%1:%2::/64"_s.arg(index).arg(i), error);
        if (!link)
            return std::nullopt;
        chain.links.append(*link);
    }
    // Every hop answers every probe: no per-destination limit, and a global ICMP budget (per namespace
    // on this kernel, shared by ICMP and ICMPv6 errors; 1,000 a second with bursts of 50 by default)
    // that no test comes near. A test that wants a rate-limiting hop sets icmp_ratelimit again.
    const auto rateLimitsOff = [this, error](const QString &node) {
        return sysctl(node, u"net.ipv4.icmp_ratelimit"_s, u"0"_s, error)
            && sysctl(node, u"net.ipv6.icmp.ratelimit"_s, u"0"_s, error)
            && sysctl(node, u"net.ipv4.icmp_msgs_per_sec"_s, u"1000000"_s, error)
            && sysctl(node, u"net.ipv4.icmp_msgs_burst"_s, u"100000"_s, error);
    };
    for (const QString &router : std::as_const(chain.routers)) {
        if (!sysctl(router, u"net.ipv4.ip_forward"_s, u"1"_s, error)
            || !sysctl(router, u"net.ipv6.conf.all.forwarding"_s, u"1"_s, error) || !rateLimitsOff(router)) {
            return std::nullopt;
        }
    }
    if (!rateLimitsOff(chain.server))
        return std::nullopt;
    const auto route = [&](int node, int link, const Link &via, bool towardClient) {
        const Endpoint &next = towardClient ? via.a : via.b;
        const QString v4 = u"10.%1.%2.0/30"_s.arg(200 + index).arg(link);
        const QString v6 = u"fd00:5e:%1:%2::/64"_s.arg(index).arg(link);
        return addRoute(nodes.at(node), v4, next.ipv4, error) && addRoute(nodes.at(node), v6, next.ipv6, error);
    };
    const qsizetype linkCount = chain.links.size();
    for (int node = 0; node < nodes.size(); ++node) {
        for (int link = 0; link < linkCount; ++link) {
            // Node k touches links k - 1 and k; the rest lie beyond a neighbour.
            if (link < node - 1 && !route(node, link, chain.links.at(node - 1), true))
                return std::nullopt;
            if (link > node && !route(node, link, chain.links.at(node), false))
                return std::nullopt;
        }
    }
    return chain;
}

bool Lab::sysctl(const QString &ns, const QString &key, const QString &value, QString *error)
{
    static const QRegularExpression validKey(u"^[A-Za-z0-9_./-]+$"_s);
    if (ns.isEmpty())
        return setError(error, u"The lab never changes the root namespace's sysctls."_s);
    if (!knows(ns))
        return setError(error, u"The lab has no namespace %1."_s.arg(ns));
    if (!validKey.match(key).hasMatch() || value.contains(u'\n'))
        return setError(error, u"'%1' is not a sysctl name."_s.arg(key));
    const CommandResult result = run(ns, u"sysctl"_s, {u"-q"_s, u"-w"_s, key + u'=' + value}, COMMAND_TIMEOUT_MS);
    return result.succeeded() || setError(error, u"Could not set %1 in %2: %3."_s.arg(key, ns, failureText(result)));
}

bool Lab::settle(QString *error) const
{
    const QDeadlineTimer deadline(SETTLE_TIMEOUT_MS);
    while (!m_unsettled.isEmpty()) {
        const Endpoint end = m_unsettled.constFirst();
        const auto [showLink, showLinkArguments]
            = inNamespace(end.ns, ipProgram(), {u"-o"_s, u"link"_s, u"show"_s, u"dev"_s, end.interface});
        const CommandResult link = execute(showLink, showLinkArguments);
        bool ready = link.succeeded() && link.out.contains(u" state UP "_s);
        if (ready && !end.ipv6.isNull()) {
            const auto [showAddress, showAddressArguments] = inNamespace(end.ns, ipProgram(),
                {u"-6"_s, u"-o"_s, u"addr"_s, u"show"_s, u"dev"_s, end.interface, u"scope"_s, u"link"_s});
            const CommandResult linkLocal = execute(showAddress, showAddressArguments);
            ready
                = linkLocal.succeeded() && linkLocal.out.contains(u"fe80"_s) && !linkLocal.out.contains(u"tentative"_s);
        }
        if (ready) {
            m_unsettled.removeFirst();
            continue;
        }
        if (deadline.hasExpired()) {
            m_unsettled.clear();
            return setError(
                error, u"The link end %1 did not come up within %2 ms."_s.arg(end.interface).arg(SETTLE_TIMEOUT_MS));
        }
        QThread::msleep(SETTLE_POLL_MS);
    }
    return true;
}

CommandResult Lab::run(const QString &ns, const QString &program, const QStringList &arguments, int timeoutMs) const
{
    CommandResult result;
    if (!knows(ns)) {
        result.err = u"The lab has no namespace %1."_s.arg(ns);
        return result;
    }
    if (!settle(&result.err))
        return result;
    const auto [inside, all] = inNamespace(ns, program, arguments);
    return execute(inside, all, timeoutMs);
}

QProcess *Lab::startProcess(const QString &ns, const QString &program, const QStringList &arguments, QString *error)
{
    if (!knows(ns)) {
        setError(error, u"The lab has no namespace %1."_s.arg(ns));
        return nullptr;
    }
    if (!settle(error))
        return nullptr;
    auto process = std::make_unique<QProcess>();
    dieWithUs(*process);
    const auto [inside, all] = inNamespace(ns, program, arguments);
    process->start(inside, all);
    if (!process->waitForStarted(COMMAND_TIMEOUT_MS)) {
        setError(error, u"Could not start %1: %2."_s.arg(program, process->errorString()));
        return nullptr;
    }
    // nsenter enters the namespace and only then runs the program: under load that can take a while.
    // Return once the process is inside, so whatever the caller does next (list the namespace's
    // processes, send it traffic) finds it there.
    if (!ns.isEmpty()) {
        struct stat target = {};
        const QByteArray nsPath = (u"/run/netns/"_s + namespaceName(ns)).toLocal8Bit();
        const QByteArray procPath = "/proc/" + QByteArray::number(process->processId()) + "/ns/net";
        const QDeadlineTimer deadline(COMMAND_TIMEOUT_MS);
        struct stat current = {};
        while (::stat(nsPath.constData(), &target) == 0 && ::stat(procPath.constData(), &current) == 0
            && (current.st_ino != target.st_ino || current.st_dev != target.st_dev)
            && process->state() == QProcess::Running) {
            if (deadline.hasExpired()) {
                setError(error, u"%1 did not enter namespace %2 in time."_s.arg(program, ns));
                return nullptr; // the process dies with the QProcess
            }
            QThread::msleep(1);
        }
    }
    m_processes.push_back(std::move(process));
    return m_processes.back().get();
}

QProcess *Lab::startResponder(const QString &ns, const QStringList &arguments, QString *error)
{
    QProcess *process = startProcess(ns, responderProgram(), arguments, error);
    return process && waitForReady(process, u"responder"_s, error) ? process : nullptr;
}

// Waits (bounded) for a lab program's first line, "ready".
bool Lab::waitForReady(QProcess *process, const QString &what, QString *error) const
{
    const QDeadlineTimer deadline(READY_TIMEOUT_MS);
    while (!process->canReadLine()) {
        if (deadline.hasExpired() || process->state() == QProcess::NotRunning) {
            process->waitForFinished(1000);
            return setError(error,
                u"The %1 did not get ready: %2."_s.arg(
                    what, QString::fromUtf8(process->readAllStandardError()).trimmed().section(u'\n', 0, 0)));
        }
        process->waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
    }
    const QByteArray line = process->readLine().trimmed();
    return line == "ready"
        || setError(error, u"The %1 said '%2' instead of ready."_s.arg(what, QString::fromUtf8(line)));
}

QProcess *Lab::delayForwarded(const QString &ns, const ForwardDelay &delay, QString *error)
{
    static const QRegularExpression interfaceName(u"^[A-Za-z0-9_.-]{1,15}$"_s);
    if (ns.isEmpty()) {
        setError(error, u"The lab never changes the root namespace's firewall: delay in a lab router."_s);
        return nullptr;
    }
    if (!knows(ns)) {
        setError(error, u"The lab has no namespace %1."_s.arg(ns));
        return nullptr;
    }
    if (!(delay.delayMs >= 0 && delay.delayMs <= 60000 && delay.jitterMs >= 0 && delay.jitterMs <= 60000)
        || delay.queueMaxLength < 1) {
        setError(error, u"A delay and jitter of 0 to 60000 ms and a queue of at least one packet, please."_s);
        return nullptr;
    }
    for (const bool v6 : {false, true}) {
        if (iptablesProgram(v6).isEmpty()) {
            setError(error,
                u"A delay needs %1 (the iptables package): run scripts/deps test."_s.arg(
                    v6 ? u"ip6tables"_s : u"iptables"_s));
            return nullptr;
        }
    }
    QStringList match;
    if (!delay.inInterface.isEmpty()) {
        // A misspelt interface would match nothing and delay nothing, silently.
        if (!interfaceName.match(delay.inInterface).hasMatch()
            || !ip(
                ns, {u"link"_s, u"show"_s, u"dev"_s, delay.inInterface}, u"find %1"_s.arg(delay.inInterface), error)) {
            setError(error, u"The namespace %1 has no interface %2."_s.arg(ns, delay.inInterface));
            return nullptr;
        }
        match << u"-i"_s << delay.inInterface;
    }
    const auto queue = QString::number(m_delays.size());
    QStringList arguments{u"--queue"_s, queue, u"--delay"_s, u"%1us"_s.arg(qRound64(delay.delayMs * 1000)),
        u"--jitter"_s, u"%1us"_s.arg(qRound64(delay.jitterMs * 1000)), u"--seed"_s, QString::number(delay.seed),
        u"--queue-maxlen"_s, QString::number(delay.queueMaxLength)};
    if (delay.failOpen)
        arguments << u"--fail-open"_s;
    if (!delay.truthFile.isEmpty())
        arguments << u"--truth"_s << delay.truthFile;
    QProcess *process = startProcess(ns, delayProgram(), arguments, error);
    if (!process)
        return nullptr;
    // The queue is bound before any rule feeds it. --queue-bypass: while no program holds the queue
    // (it stopped or died), packets pass undelayed instead of being dropped.
    DelayElement element{ns, process, {}};
    m_delays.append(element);
    if (!waitForReady(process, u"delay program"_s, error)) {
        stopProcess(process, 1000);
        return nullptr;
    }
    for (const bool v6 : {false, true}) {
        const QStringList rule = QStringList{u"FORWARD"_s} + match
            + QStringList{u"-j"_s, u"NFQUEUE"_s, u"--queue-num"_s, queue, u"--queue-bypass"_s};
        const CommandResult added
            = run(ns, iptablesProgram(v6), QStringList{u"-w"_s, u"5"_s, u"-A"_s} + rule, COMMAND_TIMEOUT_MS);
        if (!added.succeeded()) {
            setError(error,
                u"Could not queue %1's forwarded %2 traffic to the delay program: %3."_s.arg(
                    ns, v6 ? u"IPv6"_s : u"IPv4"_s, failureText(added)));
            removeDelay(process);
            return nullptr;
        }
        m_delays.last().rules.append(QStringList{iptablesProgram(v6)} + rule);
    }
    return process;
}

bool Lab::removeRules(DelayElement &element, QString *error) const
{
    bool removed = true;
    while (!element.rules.isEmpty()) {
        const QStringList rule = element.rules.takeLast();
        const CommandResult deleted = run(
            element.ns, rule.constFirst(), QStringList{u"-w"_s, u"5"_s, u"-D"_s} + rule.mid(1), COMMAND_TIMEOUT_MS);
        if (!deleted.succeeded() && removed) {
            removed = setError(
                error, u"Could not remove the delay rule from %1: %2."_s.arg(element.ns, failureText(deleted)));
        }
    }
    return removed;
}

bool Lab::removeDelay(QProcess *delay, QString *error)
{
    for (DelayElement &element : m_delays) {
        if (element.process != delay || !delay)
            continue;
        const bool removed = removeRules(element, error);
        if (!stopProcess(delay))
            return removed && setError(error, u"The delay program in %1 did not stop cleanly."_s.arg(element.ns));
        return removed;
    }
    return setError(error, u"That is not one of this lab's delay programs."_s);
}

bool Lab::stopProcess(QProcess *process, int timeoutMs)
{
    if (!process)
        return false;
    if (process->state() == QProcess::NotRunning)
        return process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0;
    process->terminate();
    if (process->waitForFinished(timeoutMs))
        return process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0;
    process->kill();
    process->waitForFinished(COMMAND_TIMEOUT_MS);
    return false;
}

InNamespace::InNamespace(const QString &systemName)
    : m_home(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC))
{
    const int target = ::open(QFile::encodeName(u"/run/netns/"_s + systemName).constData(), O_RDONLY | O_CLOEXEC);
    m_entered = m_home >= 0 && target >= 0 && ::setns(target, CLONE_NEWNET) == 0;
    if (target >= 0)
        ::close(target);
}

InNamespace::~InNamespace()
{
    if (m_entered)
        ::setns(m_home, CLONE_NEWNET);
    if (m_home >= 0)
        ::close(m_home);
}

} // namespace StreamSwarm::NetLab
