<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>StreamSwarm::Agent</name>
    <message>
        <location filename="../agent/probes/probefactory.cpp" line="+44"/>
        <source>This agent cannot run %1 tests.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::AgentOptions</name>
    <message>
        <location filename="../agent/agentoptions.cpp" line="+30"/>
        <source>Cannot read the token file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>StreamSwarm agent: runs the tests the console assigns and sends back what it measures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The console&apos;s address, wss://HOST:PORT (ws:// only with --insecure).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enrollment token from &apos;streamswarm-console token create&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TOKEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read the enrollment token from this file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+8"/>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-7"/>
        <source>This agent&apos;s name in the console (default: the host name).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder for the agent&apos;s credential and state.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>DIR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The console certificate&apos;s SHA-256 fingerprint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SHA256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read the settings from this file instead of %1 (name = value lines named as these options; the command line wins).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Allow plain ws:// instead of wss:// (for labs only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disk space for results kept while the console is away (default 256MB). When it is full the oldest results are dropped, and the console is told how many.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SIZE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test rounds sent per second when catching up after an outage (default 2000).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Answer STAMP test packets (RFC 8762) on this UDP port, so other agents can measure the path to this host (862 is the standard port; below 1024 needs root). Off unless given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PORT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Switch on the network card&apos;s own packet stamping on these interfaces (comma-separated), so ping and traceroute are timed by the card. This is a host-wide setting of the card; the agent needs root or CAP_NET_ADMIN for it. Off unless given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>IFACES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>--server is required, on the command line or as server = ... in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>--server is required, e.g. --server wss://console.example.net:8765.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>--server &quot;%1&quot; is not an address like wss://HOST:PORT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>--server %1 is plain ws://, which sends the agent&apos;s credentials unencrypted; use wss:// or add --insecure (for labs only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>agent name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>--fingerprint &quot;%1&quot; is not a SHA-256 fingerprint; copy it from &apos;streamswarm-console fingerprint&apos; (sha256:ab:cd:...).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>--spool-size &quot;%1&quot; is not a size between 64KiB and 1TiB, e.g. 256MB or 2GB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>--replay-rate &quot;%1&quot; must be a whole number of rounds a second, 1 to 1000000.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>--stamp-port &quot;%1&quot; is not a UDP port number (1 to 65535).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>--hardware-timestamps: &quot;%1&quot; is not a network interface name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 holds an enrollment token and other users can read it; make it readable by the agent only (chmod 600 %1).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::AgentService</name>
    <message numerus="yes">
        <location filename="../agent/agentservice.cpp" line="+138"/>
        <source>The agent&apos;s spool had %n damaged record(s), left by a crash or power loss while writing; they were skipped.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+52"/>
        <source>The agent&apos;s spool reached its limit of %1 while the console was unreachable: the oldest %n round(s) of results, measured from %2 to %3, were dropped.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::AresChannel</name>
    <message>
        <location filename="../agent/probes/dns/areschannel.cpp" line="+167"/>
        <source>Cannot set up the DNS resolver: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Cannot ask the DNS server %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::BandwidthProbe</name>
    <message>
        <location filename="../agent/probes/bandwidth/bandwidthprobe.cpp" line="+30"/>
        <source>The measurement did not finish within %1 (connecting, %2 of warm-up, %3 measuring and the results&apos; exchange), so it was stopped: the server stopped answering, or the link is too slow for it. Try a shorter duration or look at the path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The console did not answer this round&apos;s request for a turn within %1, so the round was skipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Another bandwidth test on this agent was still running after the %1 this round could wait, so the round was skipped: two at once would each measure half the link. Give the tests longer intervals, or put fewer on one agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+43"/>
        <source>The measurement was still running when the next round began, so it was stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+44"/>
        <source>The bandwidth helper %1 is not installed beside the agent; reinstall the agent package.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The iperf3 report grew past %1 MB, so the measurement was stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The bandwidth helper %1 could not start: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The bandwidth helper ended without a report (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exit status %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Speed test at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>iperf3 to agent %1 (%2 port %3): %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>iperf3 to %1 port %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../agent/probes/bandwidth/iperfreport.cpp" line="+39"/>
        <source>The iperf3 library gave no readable report (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The iperf3 report has no result for the receiving end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../agent/probes/bandwidth/speedreport.cpp" line="+45"/>
        <source>The speed test gave no readable report (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>download: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>upload: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The speed test&apos;s report has no result.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::CertificateText</name>
    <message>
        <location filename="../agent/probes/certificatecheck.cpp" line="+119"/>
        <source>%1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+60"/>
        <source>the certificate expired %1 ago (on %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the certificate has expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the certificate is not valid yet; it starts in %1 (on %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the certificate is not valid yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the certificate is for %1, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>other names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the certificate is self-signed and not trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the certificate&apos;s issuer (%1) is not trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the certificate has been revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the certificate was not accepted: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::ConnectText</name>
    <message>
        <location filename="../agent/probes/tcpconnector.cpp" line="+64"/>
        <source>Cannot make a TCP socket: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+67"/>
        <source>%1 refused the connection (nothing listens there, or a firewall rejects it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 did not answer the connection attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is unreachable (a router or the host itself said so, or no one answered on the local network)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>there is no route to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a firewall on this host blocked the connection to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>this host has no address to connect to %1 from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 reset the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cannot connect to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::ConnectingProbe</name>
    <message>
        <location filename="../agent/probes/connectingprobe.cpp" line="+20"/>
        <source>Cannot connect to %1: the name does not resolve to an address (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot connect to %1: looking up the name took longer than %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 port %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2) port %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>No answer from %1 within %2: the connection attempt was given up.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::ConsoleClient</name>
    <message>
        <location filename="../agent/connection/consoleclient.cpp" line="+113"/>
        <source>This agent is not enrolled yet: start it once with --token TOKEN (made with &apos;streamswarm-console token create NAME&apos;), --token-file FILE or STREAMSWARM_TOKEN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The token given is not an enrollment token: they look like sse_ followed by letters and digits. Copy it again, whole, from the output of &apos;streamswarm-console token create&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+98"/>
        <source>The console&apos;s certificate %1 does not match the fingerprint you gave (%2). Check it for a typo: &apos;streamswarm-console fingerprint&apos; on the console prints the right one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>THE CONSOLE&apos;S CERTIFICATE HAS CHANGED: this agent trusts %1 but was shown %2. Someone may be intercepting the connection. If the console&apos;s certificate was replaced on purpose, check &apos;streamswarm-console fingerprint&apos; there and start this agent with --fingerprint %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+44"/>
        <source>The console refused to enroll this agent: the name &quot;%1&quot; belongs to an agent that is already enrolled (see the console&apos;s event log). Start this agent with another --name, or, to move that agent to this host on purpose, make a token on the console with &apos;streamswarm-console token create NAME --replace %1&apos; and start this agent with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The console refused this agent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The console speaks TLS only: start the agent with --server wss://%1 instead of ws://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The server at %1 answered, but not as a StreamSwarm console (%2). Check the host and port in --server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot reach the console at %1: the connection was refused. Is the console running and listening on that port?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot reach the console: the host name %1 was not found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot reach the console at %1: it did not answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The console at %1 did not complete a TLS handshake (%2). If it was started with --insecure it does not speak TLS: use ws:// and --insecure here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot reach the console at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::CredentialStore</name>
    <message>
        <location filename="../agent/connection/credentialstore.cpp" line="+38"/>
        <location line="+42"/>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-37"/>
        <source>%1 is damaged; delete it, or start the agent with --fingerprint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+6"/>
        <location line="+44"/>
        <location line="+9"/>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Cannot create the state folder %1; check its permissions or pick another with --state-dir.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 is damaged; delete it and enroll the agent again with a new token.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::CurlLibrary</name>
    <message>
        <location filename="../agent/probes/http/curllibrary.cpp" line="+47"/>
        <source>http tests need libcurl (the Debian package libcurl4), which could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>http tests need libcurl 7.85 or newer; the installed %1 has no %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>http tests need libcurl 7.85 or newer; this system has %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>http tests need libcurl built with OpenSSL (the Debian package libcurl4); this one uses %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no TLS library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libcurl did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::DnsAnswer</name>
    <message>
        <location filename="../agent/probes/dns/dnsanswer.cpp" line="+64"/>
        <source>a name in it is broken (a bad label or compression pointer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>the message ends early</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+70"/>
        <source>the strings of a TXT record overrun its data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+27"/>
        <source>the data of a %1 record does not read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>the message is shorter than a DNS header</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::DnsProbe</name>
    <message>
        <location filename="../agent/probes/dns/dnsprobe.cpp" line="+102"/>
        <source>the system&apos;s resolver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The DNS server %1 refused the query for %2: nothing answers DNS on that port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>sent once over UDP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>sent %1 times over UDP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sent once over TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>sent %1 times over TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the query could not be sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>, then </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No answer from %1 for %2 within %3 (%4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The lookup of %1 through %2 failed: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The answer from %1 for %2 does not read as DNS: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The name %1 does not exist (NXDOMAIN), answered by %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The DNS server %1 failed to resolve %2 (SERVFAIL).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The DNS server %1 refused to answer for %2 (REFUSED).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The DNS server %1 answered the query for %2 with %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::Hardware</name>
    <message>
        <location filename="../agent/platform/linux/hardware/edacreader.cpp" line="+35"/>
        <source>this host reports no memory error counts (no ECC memory, or no EDAC driver loaded)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../agent/platform/linux/hardware/hwmonreader.cpp" line="+114"/>
        <source>this host has no hwmon sensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the hwmon sensors report no readable temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no fan speed sensor on this host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../agent/platform/linux/hardware/powersupplyreader.cpp" line="+83"/>
        <source>this host has no battery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../agent/platform/linux/hardware/raplreader.cpp" line="+56"/>
        <source>the CPU&apos;s energy counters are readable by root only, and the agent does not run as root</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>this host&apos;s CPU reports no energy counters (RAPL)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the CPU&apos;s energy counters cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../agent/probes/hardware/hardwareprobe.cpp" line="+37"/>
        <source>the next round began before smartctl answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../agent/probes/hardware/hardwareround.cpp" line="+108"/>
        <source>smartctl found no drive that reports SMART</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../agent/probes/hardware/smartctlreport.cpp" line="+53"/>
        <source>smartctl gave no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>smartctl&apos;s answer could not be read (is it older than version 7.0, which added --json?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>smartctl: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>smartctl could not open the drive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../agent/probes/hardware/smartctlrunner.cpp" line="+83"/>
        <source>smartctl wrote more than %1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>smartctl could not be run (is smartmontools installed?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>smartctl did not answer within %1 and was stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not asked: the time for smartctl (%1) ran out on an earlier drive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>smartctl did not list the drives within %1 and was stopped</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::HardwareStamping</name>
    <message>
        <location filename="../agent/platform/linux/hardwarestamping.cpp" line="+61"/>
        <source>There is no network interface called &quot;%1&quot; on this host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot ask %1 about hardware stamps: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ping and traceroute use the kernel&apos;s stamps there, which are good to a few microseconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 cannot stamp packets in hardware (its driver offers software stamps only). %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 stamps only PTP packets in hardware, not ping or traceroute probes. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 already stamps every packet in hardware; ping and traceroute use those stamps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Switching on hardware stamps on %1 needs root or CAP_NET_ADMIN. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 refused to switch on hardware stamps: %2. %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hardware stamps are now on for every packet on %1; ping and traceroute use them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::HttpProbe</name>
    <message>
        <location filename="../agent/probes/http/httpprobe.cpp" line="+67"/>
        <source>the round was still running when the next one was due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>the round&apos;s %1 were over before request %2 of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>libcurl did not take the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>request %1 of %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the round did not finish within %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 %2: %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::HttpText</name>
    <message>
        <location filename="../agent/probes/http/httpfailure.cpp" line="+28"/>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 port %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a 2xx or 3xx status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1xx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 refused the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 cannot be reached (no route)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot connect to %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the server stopped sending after %1 (no data for %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>looking up %1 took longer than %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>could not connect to %1 within %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server did not answer within %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server stopped sending after %1 (no data for %2; the timeout is %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the answer did not complete within %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 is not an http or https URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the URL is malformed (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the name %1 does not resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the server&apos;s certificate was not accepted (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the TLS handshake with %1 failed (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>more than 1 redirect; the last went to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>more than %1 redirects; the last went to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the body passed the %1 limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the server closed the connection without answering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server closed the connection after %1 of the body (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the connection broke (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server&apos;s answer is not HTTP (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>the server answered %1; expected %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the body does not contain &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::IcmpErrors</name>
    <message>
        <location filename="../agent/probes/ping/pingstatistics.cpp" line="+32"/>
        <location line="+32"/>
        <source>Network unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-30"/>
        <location line="+48"/>
        <source>Communication administratively prohibited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Beyond the scope of the source address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+30"/>
        <source>Host unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-28"/>
        <location line="+32"/>
        <source>Port unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-30"/>
        <source>Source address failed ingress/egress policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reject route to destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+38"/>
        <source>Destination unreachable (code %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Packet too big</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hop limit exceeded in transit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+40"/>
        <source>Fragment reassembly time exceeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-38"/>
        <location line="+40"/>
        <source>Parameter problem (code %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-38"/>
        <source>ICMPv6 error type %1 code %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Protocol unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Fragmentation needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source route failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Network administratively prohibited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Host administratively prohibited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Source quench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redirect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TTL exceeded in transit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ICMP error type %1 code %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::IcmpSocket</name>
    <message>
        <location filename="../agent/probes/ping/icmpchannel.cpp" line="+131"/>
        <source>This host cannot open an %1 ICMP socket: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+40"/>
        <source>This host has no network interface named %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sending through a chosen interface needs CAP_NET_RAW or root.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot send through the interface %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The source address %1 and the target are of different IP versions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The source address %1 is not an address of this host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot send from %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot set the TTL to %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot mark the echoes with TOS %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+70"/>
        <source>More than %1 echoes are waiting for replies on this host; ping fewer targets at once or with shorter timeouts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../agent/probes/ping/icmpsocket.cpp" line="+27"/>
        <source>Ping needs permission to open ICMP sockets: run the agent as root, give it CAP_NET_RAW (setcap cap_net_raw+ep streamswarm-agent), or allow unprivileged ping with sysctl net.ipv4.ping_group_range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The ICMP socket is not open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The address %1 does not match the socket&apos;s IP version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The payload size must be from 0 to %1 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::LinuxSystemReader</name>
    <message>
        <location filename="../agent/platform/linux/system/linuxsystemreader.cpp" line="+96"/>
        <source>cannot read /%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>/%1 holds nothing readable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>CPU use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>load average</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>uptime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>IP stack counters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>sockets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+5"/>
        <source>network interfaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only the first %1 of %2 interfaces are read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+38"/>
        <location line="+16"/>
        <source>disk activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>only the first %1 of %2 disks are read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+12"/>
        <source>disk space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>only the first %1 filesystems are read</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::PeerTurns</name>
    <message>
        <location filename="../agent/bulk/peerturns.cpp" line="+23"/>
        <source>This agent is not connected to the console, which arranges the turns of bandwidth tests between agents, so the round was skipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+32"/>
        <source>The connection to the console was lost while the round waited for its turn, so it was skipped.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::PingProbe</name>
    <message>
        <location filename="../agent/probes/ping/pingprobe.cpp" line="+61"/>
        <source>Cannot ping %1: the name does not resolve to an address (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot ping %1: looking up the name took longer than %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+39"/>
        <source>Cannot ping %1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source> (reported by %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ping %1: %2%3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::Platform</name>
    <message>
        <location filename="../agent/platform/linux/packetio.cpp" line="+245"/>
        <source>The network is unreachable from this host (no route).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The host is unreachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The system refused to send to this address; it may be a broadcast address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A firewall rule on this host blocked the probe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The probe is too large for the path; lower the payload size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This host has no address or free local port to send from to this destination.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The system&apos;s send queue is full.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The agent has too many open files to open another probe socket.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sending the probe failed: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::Scheduler</name>
    <message>
        <location filename="../agent/scheduler/scheduler.cpp" line="+154"/>
        <source>Not measured: the agent was too busy to start this round on time.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::Spool</name>
    <message>
        <location filename="../agent/connection/spool.cpp" line="+189"/>
        <source>Cannot create the spool folder %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Cannot open the spool file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Cannot repair the spool file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Cannot create the spool file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>A batch of %1 round(s) is %2 bytes, more than one message may carry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Cannot write to the spool file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+151"/>
        <source>Cannot read the spool file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The spool file %1 is damaged at byte %2; the damaged batch is skipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Spooled batch %1 cannot be read back (%2); it is skipped.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::StampReflector</name>
    <message>
        <location filename="../agent/stamp/stampreflector.cpp" line="+78"/>
        <source>Cannot open a UDP socket for STAMP: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Cannot listen for STAMP on UDP port %1: ports below 1024 need root or CAP_NET_BIND_SERVICE; choose a port above 1023 with --stamp-port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot listen for STAMP on UDP port %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::StampSession</name>
    <message>
        <location filename="../agent/stamp/stampsession.cpp" line="+80"/>
        <source>The target &quot;%1&quot; is not an IP address; it must be a STAMP reflector&apos;s address (the console puts in the address of an agent named as agent:NAME).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot open a UDP socket: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cannot reach %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Cannot send to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+80"/>
        <source>No answer from a STAMP reflector at %1 port %2 in this round.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+51"/>
        <source>this agent&apos;s clock is not synchronised (NTP or PTP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the reflector&apos;s clock is not synchronised (NTP or PTP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the two clocks may be off by up to %1 ms together, more than the one-way delays</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::SystemProbe</name>
    <message>
        <location filename="../agent/probes/system/systemprobe.cpp" line="+64"/>
        <source>Nothing about this host could be read.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TargetResolver</name>
    <message>
        <location filename="../agent/probes/targetresolver.cpp" line="+89"/>
        <source>no addresses</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TlsHandshake</name>
    <message>
        <location filename="../agent/probes/tls/tlshandshake.cpp" line="+64"/>
        <source>Cannot set up a TLS session (OpenSSL: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+41"/>
        <source>the server closed the connection during the TLS handshake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the server closed the connection during the TLS handshake (is it a TLS port?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+10"/>
        <source>the TLS handshake failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-2"/>
        <source>the server did not answer in TLS (is it a TLS port?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TlsProbe</name>
    <message>
        <location filename="../agent/probes/tls/tlsprobe.cpp" line="+37"/>
        <source>OpenSSL cannot make a TLS client.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Cannot read this host&apos;s trusted certificate authorities.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot read the CA file %1 on this agent&apos;s host: it is missing, unreadable or not PEM.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+64"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>the server sent no certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The TLS handshake with %1 did not finish within %2: the server stopped answering.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TracerouteProbe</name>
    <message>
        <location filename="../agent/probes/traceroute/tracerouteprobe.cpp" line="+90"/>
        <source>Cannot trace the route to %1: the name does not resolve to an address (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot trace the route to %1: looking up the name took longer than %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+27"/>
        <source>Cannot trace the route to %1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+232"/>
        <source>The route to %1 changed from [%2] to [%3].</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TracerouteSocket</name>
    <message>
        <location filename="../agent/probes/traceroute/traceroutesocket.cpp" line="+92"/>
        <source>ICMP traceroute needs permission to open ICMP sockets: run the agent as root, give it CAP_NET_RAW, allow unprivileged ping with sysctl net.ipv4.ping_group_range, or use protocol=udp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This host cannot open an %1 traceroute socket: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+64"/>
        <source>The traceroute socket is not open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The address %1 does not match the socket&apos;s IP version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot set the TTL: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TracerouteTcpProber</name>
    <message>
        <location filename="../agent/probes/traceroute/traceroutetcpprober.cpp" line="+86"/>
        <source>This host cannot watch TCP traceroute sockets: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Cannot set the TTL: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The traceroute socket is not open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+23"/>
        <source>The address %1 does not match the socket&apos;s IP version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Too many TCP probes are waiting for a free socket.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TurnServer</name>
    <message>
        <location filename="../agent/bulk/turnserver.cpp" line="+32"/>
        <source>its own bandwidth test was still running after the %1 the turn could wait.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>its iperf3 server did not start listening in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>the bandwidth helper %1 is not installed beside it; reinstall the agent package.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>its iperf3 server ended before it listened (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exit status %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>its bandwidth helper %1 could not start: %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::WirelessText</name>
    <message>
        <location filename="../agent/platform/linux/wireless/linuxwirelessreader.cpp" line="+48"/>
        <source>Wi-Fi information could not be read: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Wi-Fi information is not available: the agent may not read it (permission denied).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wi-Fi is not available: this host has no Wi-Fi interface.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>There is no Wi-Fi interface named %1 on this host (it has: %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../agent/platform/linux/wireless/nl80211socket.cpp" line="+74"/>
        <source>Wi-Fi information cannot be read: out of memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Wi-Fi information is not available: the agent may not open a netlink socket (permission denied).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wi-Fi information is not available: no netlink socket (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Wi-Fi is not available: this host has no Wi-Fi driver loaded (the kernel offers no nl80211).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wi-Fi is not available: the kernel&apos;s nl80211 could not be found (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the netlink socket is not open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>out of memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the kernel did not answer in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the kernel&apos;s answer did not end in time</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Bitrate</name>
    <message>
        <location filename="../shared/util/bitrate.cpp" line="+41"/>
        <source>&quot;%1&quot; is not a bit rate; use bits per second or a number with k, M or G (e.g. 100M for 100 Mbit/s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Gbit/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mbit/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>kbit/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 bit/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::ByteSize</name>
    <message>
        <location filename="../shared/util/bytesize.cpp" line="+73"/>
        <source>&quot;%1&quot; is not a size; use bytes or a number with kB, MB, GB, TB, KiB, MiB, GiB or TiB (e.g. 10MB).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>1 byte</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::CommandLine</name>
    <message>
        <location filename="../shared/util/commandline.cpp" line="+30"/>
        <source> See --help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Unknown command or argument &quot;%1&quot;. See --help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Usage: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>an unknown user</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::ConfigFile</name>
    <message>
        <location filename="../shared/util/configfile.cpp" line="+67"/>
        <source>Cannot read the settings file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The settings file %1 is %2 bytes; a settings file holds at most %3, so this is not one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The settings file %1 is not UTF-8 text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1, line %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the line is longer than %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; is not a section this file can have; it holds only [%2], or no section.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>[%1] must come before the settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; is not a setting; write it as name = value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>a value without a name; write it as name = value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&quot;%1&quot; is not a setting. The settings are: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;%1&quot; is not a setting; did you mean &quot;%2&quot;?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is set twice (first on line %2); keep one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 = %2: say yes or no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1, line %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The settings file %1 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+42"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console</name>
    <message>
        <location filename="../console/storage/records.cpp" line="+120"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 ms: wrong, check NTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>used up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AboutDialog</name>
    <message>
        <location filename="../console/ui/aboutdialog.cpp" line="+30"/>
        <source>windows, networking and storage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the built-in database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a shared database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS and hashing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>installing agents over SSH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>compression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the agent&apos;s HTTP tests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the agent&apos;s DNS tests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the agent&apos;s bandwidth tests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the agent&apos;s Wi-Fi figures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the agent&apos;s QoS tests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;h2&gt;StreamSwarm Console %1&lt;/h2&gt;&lt;p&gt;Distributed network monitoring: agents on your hosts measure the network, and this console collects, stores and charts what they report.&lt;/p&gt;&lt;p&gt;Copyright 2026 The StreamSwarm authors.&lt;/p&gt;&lt;p&gt;This program is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License, version 3 or (at your option) any later version (GPL-3.0-or-later). It comes with no warranty. The licence&apos;s text is in /usr/share/common-licenses/GPL-3 on Debian and at &lt;a href=&quot;https://www.gnu.org/licenses/gpl-3.0.html&quot;&gt;gnu.org&lt;/a&gt;.&lt;/p&gt;&lt;p&gt;Running on Qt %2 (built with %3), %4.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>StreamSwarm is built with these libraries, each under its own licence:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Licence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Used for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The licences&apos; texts are in /usr/share/doc/PACKAGE/copyright for each Debian package.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>About StreamSwarm Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&amp;About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Licences</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AddTestDialog</name>
    <message>
        <location filename="../console/ui/addtestdialog.cpp" line="+50"/>
        <source>&quot;%1&quot; is not a start time; write a date and time (2026-12-24 08:00) or +2h for two hours from now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>For</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Until stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All agents, also those enrolled later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Edit test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicate test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+70"/>
        <source>Add test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-68"/>
        <source>e.g. gateway-latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Time between rounds: 500ms, 10s, 5m, 2h, 1d.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+291"/>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-290"/>
        <source>When the test starts: empty for now, a date and time (2026-12-24 08:00, your time), or +2h for two hours from now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>also every agent with one of these tags, e.g. core, branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Parameters (leave a field empty for its default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T&amp;ype:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Target:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Runs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Starts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Agents:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ta&amp;gs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+79"/>
        <source>reflector IP address, or agent:NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>host:port, e.g. www.example.com:443</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>name to look up, or an IP address for its name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>URL, e.g. https://www.example.com/page?q=1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>iperf3 server host[:port], agent:NAME (method=agent) or speed-test URL (method=http)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>host name or IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+141"/>
        <source>each agent&apos;s own host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-114"/>
        <source>%1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>test name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Give a target: the host name or address to test.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The test must run longer than zero; choose &quot;Until stopped&quot; to run it until you stop it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Tick the agents that should run the test, name tags, or choose &quot;All agents&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+50"/>
        <source>for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>until stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>every agent tagged %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Runs %1 on %2 every %3, %4, starting %5; on %6.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>all agents</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentActions</name>
    <message>
        <location filename="../console/ui/agentactions.cpp" line="+23"/>
        <source>Re&amp;name agent…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Tags of agent…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New credential for agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Revoke agent…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Rename agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New name for &quot;%1&quot; (letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;). The agent learns it when it next connects; its tests and measurements stay with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Tags of agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tags of &quot;%1&quot;, separated by commas. Tests given to a tag run on every agent that has it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Revoke agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revoke &quot;%1&quot;? It is disconnected at once and its credential is refused from then on. Its measurements stay. To bring it back, enroll it again with a new token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The agent was not changed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentEngine</name>
    <message>
        <location filename="../console/server/agentengine.cpp" line="+136"/>
        <source>This agent was revoked in the console.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentListModel</name>
    <message>
        <location filename="../console/models/agentlistmodel.cpp" line="+32"/>
        <source>%1 %2, version %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent&apos;s clock minus the console&apos;s, give or take %1 ms. Over %2 ms off, its measurement times are wrong by as much: set up NTP or chrony on that host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentListener</name>
    <message>
        <location filename="../console/server/agentlistener.cpp" line="+20"/>
        <source>This console speaks TLS only: connect with wss:// instead of ws://.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentRepository</name>
    <message>
        <location filename="../console/storage/agentrepository.cpp" line="+81"/>
        <source>There is no agent named &quot;%1&quot;; see &apos;agent list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>An agent named &quot;%1&quot; exists already; pick another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+63"/>
        <source>There is no active agent named &quot;%1&quot;; see &apos;agent list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+124"/>
        <source>The agent was revoked; it gets no new credential.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentSelection</name>
    <message>
        <location filename="../console/alerts/alertrule.cpp" line="+66"/>
        <source>tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>agent name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;all&quot; already means every agent; give it alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No agent is named; give names or tag:TAG separated by commas, or all.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentServer</name>
    <message>
        <location filename="../console/server/agentserver.cpp" line="+65"/>
        <source>Cannot listen on %1 port %2: %3. Pick another address or port with --listen HOST:PORT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Too many failed attempts from this address; try again in %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too many connections are waiting to authenticate; try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+32"/>
        <source>The same agent connected again from %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentSession</name>
    <message>
        <location filename="../console/server/agentsession.cpp" line="+61"/>
        <source>No hello within 10 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No credentials were sent; start the agent with --token (made with &apos;token create&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The token or credential sent is malformed (they look like sse_... or ssa_...); copy the token again, whole.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Text frames are not part of the protocol.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Too many messages: more than %1 a second. Slow down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Bad message: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Unexpected %1 message at this point.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+75"/>
        <source>The console cannot check credentials right now; try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>That name belongs to an enrolled agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>More than %1 result batches are waiting to be stored; send fewer at a time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The console&apos;s disk is full, so it stores nothing now; this agent keeps its results until space is freed there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The console cannot store results right now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+42"/>
        <source>No answer from the agent for %1 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentTableProxy</name>
    <message>
        <location filename="../console/ui/tableproxies.cpp" line="+67"/>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentTree</name>
    <message>
        <location filename="../console/ui/agenttree.cpp" line="+43"/>
        <source>&amp;Group agents by tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Shows the agents under their tags, such as a site or a role</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentTreeModel</name>
    <message>
        <location filename="../console/models/agenttreemodel.cpp" line="+203"/>
        <source>Agents without a tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agents tagged %1; a test given to tag:%1 runs on each of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 of %2 online</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertDiagnosis</name>
    <message>
        <location filename="../console/ui/alertdiagnosis.cpp" line="+52"/>
        <source>The agent whose view of the path is shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+130"/>
        <source>Choose a time the alert fired to see the evidence taken then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No diagnosis was taken.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No diagnosis to show: the agent %1 is no longer enrolled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>From %1 to %2, when the alert fired:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No traceroute was taken.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the console does not list the test %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The traceroute could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (newest round of %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The traceroute %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>The traceroute %1 has not sent a round yet; it runs %n rounds after the alert fires.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The traceroute %1 sent no round; the agent may have been offline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The DNS lookup could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>DNS lookup: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The DNS lookup of %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The DNS lookup %1 has not answered yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The DNS lookup %1 sent no answer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertDialog</name>
    <message>
        <location filename="../console/ui/alertdialog.cpp" line="+74"/>
        <location line="+94"/>
        <source>Add alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-91"/>
        <source>e.g. loss-to-dc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 test of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>e.g. 20</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the alert level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The level the value must come back to before the alert clears, so that a value hovering around the alert level does not fire it again and again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>all agents; or names and tag:TAG, separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>desktop
email:noc@example.net
webhook:https://hooks.example.net/…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>of the last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>agents in trouble at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>One target a line: desktop (this window), email:ADDRESS, webhook:URL or command:PATH. None: the alert shows only here and in &apos;alert list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Test:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Metric:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Fires when:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fo&amp;r:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Clears at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;gents:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At &amp;least:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Severity:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>N&amp;otify:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Give the alert a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>alert name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>There is no running test to watch; add a test first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Give the level beyond which a round counts as bad, e.g. 20.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;%1&quot; is not a number; write the level as e.g. 20 or 2.5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; is not a number; leave the clear level empty to clear at the alert level.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The alert waits for %1 agents in trouble, but watches only %2; it could never fire.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Notify, line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+38"/>
        <source>any agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>shown here only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sent to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A %1 alert for the test %2: fires when %3 on %4; %5.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertEngine</name>
    <message>
        <location filename="../console/alerts/alertengine.cpp" line="+70"/>
        <source>An alert notification could not be sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+66"/>
        <source>The alert rules could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>An alert could not be recorded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The stored notification cannot be read (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>damaged message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>An alert notification waits for the next start: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertHistoryModel</name>
    <message>
        <location filename="../console/ui/alerthistorymodel.cpp" line="+55"/>
        <source>%1, still firing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>by %1 after %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>silenced by the maintenance window &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>held while &quot;%1&quot; fired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Cleared %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When it fired: %1 (value %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lasted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertMessage</name>
    <message>
        <location filename="../console/alerts/alertmessage.cpp" line="+108"/>
        <source>FIRING</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CLEARED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TEST</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 above %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 below %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, threshold %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>[%1] %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>[%1] %2: %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: a test notification from the StreamSwarm console on %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the StreamSwarm console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the StreamSwarm console on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The alert &quot;%1&quot; is firing (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The alert &quot;%1&quot; has cleared (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This is a test of the alert &quot;%1&quot; (%2): nothing is wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The alert &quot;%1&quot; is %2 (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 on the test &quot;%2&quot; has no value (the threshold is %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 on the test &quot;%2&quot; is %3; the alert fires below %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 on the test &quot;%2&quot; is %3; the alert fires above %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 It clears at %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What:  %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where: %1, seen by %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no agent named</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>agents %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When:  %1 (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Diagnosis:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What to do next: open the test &quot;%1&quot; in %2 to see its charts and paths for these agents, then acknowledge the alert with: streamswarm-console alert ack &quot;%3&quot; --comment &quot;what you found&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What to do next: nothing is needed; the test&apos;s history in %1 shows what happened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What to do next: nothing; this message shows that alert notifications reach you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent by %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertModel</name>
    <message>
        <location filename="../console/ui/alertmodel.cpp" line="+59"/>
        <source>ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>firing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>silenced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Acknowledged by %1 after %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Kept quiet by the maintenance window &quot;%1&quot;; nothing is sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Held: the alert &quot;%1&quot; fires too and explains it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Firing: nobody has acknowledged it yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not firing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No agent is in trouble.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>In trouble: %1; the alert fires when %2 are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>In trouble: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agents in trouble</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertNotices</name>
    <message>
        <location filename="../console/app/alertnotices.cpp" line="+27"/>
        <source>Seen by %1, whose paths share the hop %2: the trouble is likely there or beyond it. Alerts it explains are held.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertRepository</name>
    <message>
        <location filename="../console/storage/alertrepository.cpp" line="+65"/>
        <source>There is already an alert named &quot;%1&quot;; see &apos;alert list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+517"/>
        <source>There is already a maintenance window named &quot;%1&quot;; see &apos;maintenance list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+51"/>
        <source>There is no maintenance window named &quot;%1&quot;; see &apos;maintenance list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertRule</name>
    <message>
        <location filename="../console/alerts/alertrule.cpp" line="+56"/>
        <source>an agent away for more than a minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, at least %2 agents at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the route of %1 changes (clears after %2 rounds on the same route)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the change of %1 from one round to the next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the %1th percentile of %2 over %3 rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 over %2 rounds against its usual level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 above %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 below %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 in %2 of %3 rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, clears at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, on at least %2 agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>A test message: this is how alert &quot;%1&quot; will reach you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>alert name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--on takes agent-offline or route-change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An alert on %1 watches no metric; leave --metric out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An alert on agent-offline watches agents, not a test; leave --test out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An alert on route-change needs the traceroute test to watch: give --test.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Give the metric to watch, e.g. ping.loss_pct (see the test type&apos;s metrics in &apos;test add --help&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The alert&apos;s levels must be numbers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The clear level (%1) must not be above the alert level (%2): the alert clears when the value falls back to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The clear level (%1) must not be below the alert level (%2): the alert clears when the value rises back to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>--for takes 1 to %1 rounds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--of takes %1 to %2 rounds: at least as many as --for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--window takes 2 to %1 rounds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--percentile takes 1 to 99.9, e.g. 95.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Against the usual level, the level is a ratio above zero: --above 1.5 means half as much again as usual.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>--min-agents takes 1 to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--min-agents is %1, but the alert watches only %2 agents, so it could never fire.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>alert name in --depends-on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An alert cannot depend on itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An alert takes at most %1 --notify targets.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertTray</name>
    <message>
        <location filename="../console/ui/alerttray.cpp" line="+26"/>
        <source>StreamSwarm Console</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertsPane</name>
    <message>
        <location filename="../console/ui/alertspane.cpp" line="+87"/>
        <source>&amp;Add alert…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;cknowledge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Say that someone is on it: the alert sends nothing more until it clears</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send a test message to each of the alert&apos;s targets now, to see that they arrive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Maintenance windows…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Times when alerts stay silent, such as planned work; measuring goes on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>When it fired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diagnosis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Test message for &quot;%1&quot; sent to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test message for &quot;%1&quot; not sent to %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+60"/>
        <source>The alerts could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The alerts&apos; history could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Choose an alert above to see when it fired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No alerts yet. Add one to be told when a test&apos;s measurements cross a level you choose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>&quot;%1&quot; has not fired in the last %n days.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>&quot;%1&quot; fired %n times in the last %2 days, newest first.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+38"/>
        <source>%n firing</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n acknowledged</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n silenced</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n alerts, all ok</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n alerts: %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A&amp;lerts (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A&amp;lerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Added the alert &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Acknowledge alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged, &quot;%1&quot; sends nothing more until it clears.
What is being done about it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; was not acknowledged: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Acknowledged &quot;%1&quot;; it sends nothing more until it clears.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Remove alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the alert &quot;%1&quot;? It stops watching %2 on %3.

The times it fired stay in the event log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; was not removed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Removed the alert &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Sending test messages for &quot;%1&quot;…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AppearanceMenu</name>
    <message>
        <location filename="../console/ui/appearance.cpp" line="+159"/>
        <source>&amp;Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The system&apos;s colours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::BulkTurns</name>
    <message>
        <location filename="../console/server/bulkturns.cpp" line="+49"/>
        <source>The agent &quot;%1&quot; disconnected from the console before it could serve the measurement.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The console has no test %1 for this agent that measures to another agent, so it gave no turn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The agent &quot;%1&quot; is not connected to the console, so it cannot serve the measurement. The next round tries again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This agent is &quot;%1&quot;, the test&apos;s target: a bandwidth test between agents needs two of them. Leave this agent out of the test&apos;s agents.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>This agent already waits for %1 turns, so the console refused one more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>The agent &quot;%1&quot; could not serve the measurement: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+45"/>
        <source>The agent &quot;%1&quot; did not start serving the measurement in time, so the round was skipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The agents were busy with other bandwidth measurements for all the time this round could wait, so it was skipped: two at once would each measure a share of the link. Give the tests longer intervals, or give these agents fewer of them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::CertificateStore</name>
    <message>
        <location filename="../console/server/certificatestore.cpp" line="+52"/>
        <source>Cannot make a key for the console&apos;s certificate (OpenSSL failed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Cannot sign the console&apos;s certificate (OpenSSL failed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot write the console&apos;s certificate (OpenSSL failed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+6"/>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>%1 exists but %2 does not; restore the missing file, or remove the other one to make a new certificate (agents will then refuse it until told the new fingerprint).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Cannot create the folder %1; check its permissions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No console has been started with the data folder %1 yet, so it has no certificate; start the console once with the same --data-dir or --db (it makes the certificate on its first start) and run this again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 holds no PEM certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The private key for %1 is not a readable PEM key (EC or RSA, without a passphrase).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The private key does not belong to the certificate %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ChartCompare</name>
    <message>
        <location filename="../console/ui/chartcompare.cpp" line="+46"/>
        <source>Compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Compare: draw other agents that run this test, or other figures of it, over the chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+144"/>
        <source>Other agents running this test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No other agent runs it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other figures of this agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Remove the compared lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>agent %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ChartExport</name>
    <message>
        <location filename="../console/ui/charts/chartexport.cpp" line="+33"/>
        <location line="+25"/>
        <source>StreamSwarm chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Save the chart as .png, .svg or .pdf (not .%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not draw the chart as %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SVG drawing (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+10"/>
        <source>Save chart</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ChartFigures</name>
    <message>
        <location filename="../console/ui/chartfigures.cpp" line="+55"/>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 &lt;b&gt;%2&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RTT &lt;b&gt;%1 ms&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>loss &lt;b&gt;%1 %&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The newest round: average round-trip time (shortest–longest) and packet loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The newest round&apos;s figure</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ChartSeriesModel</name>
    <message>
        <location filename="../console/models/chartseriesmodel.cpp" line="+282"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lowest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Highest</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Cli</name>
    <message>
        <location filename="../console/cli/accesscommands.cpp" line="+21"/>
        <source>How many agents may enroll with it (default 1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../console/cli/alertcommands.cpp" line="+99"/>
        <location line="+29"/>
        <location line="+230"/>
        <location filename="../console/cli/datacommands.cpp" line="+361"/>
        <source>N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How long it stays valid (default 7d).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../console/cli/alertcommands.cpp" line="+99"/>
        <location filename="../console/cli/deploycommand.cpp" line="+137"/>
        <location filename="../console/cli/reportcommand.cpp" line="+34"/>
        <location filename="../console/cli/testcommands.cpp" line="+41"/>
        <location line="+1"/>
        <location line="+243"/>
        <source>DURATION</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Make a single-use token that moves this enrolled agent to a new host: the agent that enrolls with it takes the name, tests and history, and the old host&apos;s credential stops working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../console/cli/datacommands.cpp" line="-59"/>
        <location line="+114"/>
        <source>AGENT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A token made with --replace moves one agent: leave out --uses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>--uses must be a whole number from 1 to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>--expires must be longer than zero; a token that has already expired lets no agent join.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--expires %1 is longer than a token may last; give at most %2 (about 27 years).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Token &quot;%1&quot; enrolls one agent as &quot;%2&quot; until %3; the agent now known by that name stops working then. It is shown only this once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Token &quot;%1&quot; allows %2 enrollment(s) until %3. It is shown only this once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+38"/>
        <location filename="../console/cli/alertcommands.cpp" line="-364"/>
        <location line="+147"/>
        <location line="+214"/>
        <location line="+60"/>
        <location filename="../console/cli/datacommands.cpp" line="-392"/>
        <location line="+1"/>
        <location line="+341"/>
        <location line="+1"/>
        <location filename="../console/cli/deploycommand.cpp" line="-15"/>
        <location filename="../console/cli/reportcommand.cpp" line="-7"/>
        <location line="+2"/>
        <location line="+4"/>
        <location line="+157"/>
        <location line="+3"/>
        <location line="+46"/>
        <location filename="../console/cli/testcommands.cpp" line="-97"/>
        <location line="+54"/>
        <location line="+43"/>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-38"/>
        <location filename="../console/cli/alertcommands.cpp" line="-274"/>
        <location filename="../console/cli/testcommands.cpp" line="+1"/>
        <source>STATE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>USES LEFT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>EXPIRES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Revoked token &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>STATUS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../console/cli/deploycommand.cpp" line="-7"/>
        <source>HOST</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>OS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>VERSION</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>LAST SEEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CLOCK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TAGS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ADDRESS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Renamed agent &quot;%1&quot; to &quot;%2&quot;; it learns its new name when it next connects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Agent &quot;%1&quot; has no tags now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent &quot;%1&quot; now has the tags: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Revoked agent &quot;%1&quot;; a running console disconnects it within a second.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Agent &quot;%1&quot; gets a new credential from the running console as soon as it is online (within a second if it is online now); its old credential then stops working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The certificate the console is started with, if not its own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <location filename="../console/cli/databaseoptions.cpp" line="+52"/>
        <location line="+5"/>
        <location filename="../console/cli/datacommands.cpp" line="-231"/>
        <location filename="../console/cli/deploycommand.cpp" line="+2"/>
        <location line="+6"/>
        <location line="+5"/>
        <location line="+7"/>
        <location filename="../console/cli/reportcommand.cpp" line="-179"/>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The private key for --cert.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Give --cert and --key together.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/cli.cpp" line="+31"/>
        <source>Make an enrollment token for agents to join with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the enrollment tokens and how many uses each has left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stop a token from letting any more agents join.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the agents, whether they are online and their clocks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cut an agent off and refuse its credential from now on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give an agent a new credential and retire its old one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give an agent another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give an agent tags; tests for a tag (--agents tag:TAG) then run on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Take tags away from an agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Start measuring: a test that agents run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change a test; the agents that run it follow at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pause a test without deleting it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Let a paused test run again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the tests and whether they are running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop a running test.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete a test, keeping or deleting its measurements.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Write the measured samples out as CSV or JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show round-trip times and loss per agent and test.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Write a PDF report for managers, engineers or a provider.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show or set how long samples and their rollups per minute and hour are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Show, find and export events: who changed what, which alerts fired, and when.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Be told when a test&apos;s metric goes beyond a level.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the alerts and whether each is firing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledge a firing alert: someone is on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove an alert; its history stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show when alerts fired, how long they lasted and how soon someone acknowledged them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send a test message to each of an alert&apos;s targets now, as the console would, and say how it went.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keep alerts silent during planned work; measuring goes on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show the maintenance windows and which are open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove a maintenance window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print the console certificate&apos;s fingerprint for agents to pin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Install the agent on hosts over SSH, enroll it with this console and start it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Usage: %1 %2 ACTION [options]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Actions:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run &apos;%1 %2 ACTION --help&apos; for an action&apos;s options.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Unknown command &quot;%1&quot;; see &apos;%2 --help&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; needs an action: %1 %2; see &apos;%3 %1 --help&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&quot;%1 %2&quot; is not a command; use %1 %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Commands (run &apos;%1 COMMAND --help&apos; for one&apos;s options):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/command.cpp" line="+81"/>
        <source>Print JSON instead of a table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Expected at least %1 arguments after the command; usage: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expected %1 argument(s) after the command; usage: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/databaseoptions.cpp" line="-7"/>
        <source>Read the settings from this file instead of %1 (the command line wins).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Folder for the console&apos;s data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../console/cli/reportcommand.cpp" line="+132"/>
        <source>DIR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Database: sqlite:/path/file.db or postgresql://user:pass@host:port/db.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read the database URL from this file (keeps a password off the command line).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Give --db or --db-file, not both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 holds no database URL on its first line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/datacommands.cpp" line="-112"/>
        <location filename="../console/cli/reportcommand.cpp" line="-165"/>
        <source>Only this test.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only this agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start time: ISO 8601, or a duration ago (2h).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/alertcommands.cpp" line="-213"/>
        <source>--%1 takes a number, e.g. --%1 20.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--%1 takes a whole number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>--%1: %2 Write a time as 2026-12-24T08:00:00Z, now, or +2h from now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>ok</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>firing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>silenced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The alert&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The test whose rounds it watches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The metric it watches, e.g. ping.loss_pct or http.total_ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>METRIC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A round is bad when the metric is above this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <location line="+6"/>
        <source>X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-6"/>
        <source>A round is bad when the metric is below this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many bad rounds make trouble (default 1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Out of how many of the latest rounds (default: as many as --for).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>M</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The level the metric must come back to before the alert clears (default: the alert level).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Whose rounds count: agent names and tag:TAG separated by commas, or all (default).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fire only when at least this many agents see the trouble at once (default 1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>K</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>info, warning (default) or critical.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where to send a message when it fires and when it clears: webhook:URL, email:ADDRESS, command:PATH or desktop; repeat for more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>KIND:TARGET</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not a metric but something that happens: agent-offline (an agent away for more than a minute; no --test) or route-change (a traceroute test&apos;s agent took another route).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>EVENT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Judge each round by how much the metric changed since the round before (--above 50: it rose by more than 50).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Judge each round by this percentile of the metric over the last --window rounds (e.g. 95).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>P</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Judge each round by the mean of the last --window rounds against the metric&apos;s usual level, as a ratio (--above 1.5: half as much again as usual).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rounds for --percentile and --baseline (default 20).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Another alert this one depends on: while that one fires, this one is held and sends nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+252"/>
        <source>ALERT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-240"/>
        <source>Give either --above X or --below X: when a round counts as bad.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An alert on %1 has no level; leave --above and --below out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>--severity takes info, warning or critical.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Give at most one of --change, --percentile and --baseline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>--window goes with --percentile or --baseline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Added alert &quot;%1&quot;: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It sends no messages; it shows in the console and in &apos;alert list&apos;. Add --notify to be told.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+143"/>
        <source>SEVERITY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-143"/>
        <source>CONDITION</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SINCE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+46"/>
        <source>What is being done about it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../console/cli/datacommands.cpp" line="+343"/>
        <source>TEXT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Acknowledged alert &quot;%1&quot;; it sends nothing more until it clears.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Removed alert &quot;%1&quot;; its history stays in the event log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>There is no alert named &quot;%1&quot;; see &apos;alert list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The alert &quot;%1&quot; sends no messages; give it --notify targets first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: shown by the console window&apos;s tray; use the Test button there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1: sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: not sent: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Since when (ISO 8601, or a duration ago such as 7d; default 30d).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+98"/>
        <location line="+1"/>
        <location filename="../console/cli/datacommands.cpp" line="-343"/>
        <location line="+1"/>
        <location line="+286"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+47"/>
        <location line="+1"/>
        <location line="+53"/>
        <location filename="../console/cli/reportcommand.cpp" line="+35"/>
        <location line="+1"/>
        <location filename="../console/cli/testcommands.cpp" line="-240"/>
        <source>TIME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-99"/>
        <location filename="../console/cli/datacommands.cpp" line="-53"/>
        <source>Until when (default now).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At most this many, the newest (default 1000).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>STARTED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>LASTED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ACKNOWLEDGED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>NOTE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>maintenance: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>held by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>shared hop %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source> (firing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>after %1 by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+40"/>
        <source>%1 times fired; %2 acknowledged, after %3 on average.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The window&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When it opens: 2026-12-24T08:00:00Z, now, or +2h.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When it closes, written the same way.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open it again after this long, e.g. 1d or 1w.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only alerts seen on these agents (names, tag:TAG; default all).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only alerts on these tests, separated by commas (default all).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Added maintenance window &quot;%1&quot;: %2. Alerts stay silent then; measuring goes on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>WHEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>OPEN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TESTS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Removed maintenance window &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/datacommands.cpp" line="-336"/>
        <source>End time: ISO 8601, or a duration ago.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--from %1 (%2) is not earlier than --to %3 (%4), so no time lies between them; give the earlier time to --from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <source>There is no test named &quot;%1&quot;; see &apos;%2 test list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>There is no agent named &quot;%1&quot;; see &apos;%2 agent list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>--%1 &quot;%2&quot; is not a length of time to keep data; write days, weeks or years (30d, 8w, 1y) or 0 to keep it for ever.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>for ever</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 years</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>csv or json.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>FORMAT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write to this file instead of standard output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>raw (every sample, the default), 1m or 1h (per minute or per hour: count, mean, lowest, highest, and percentiles of latencies).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>--format must be csv or json.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--resolution must be raw, 1m or 1h.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+80"/>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-76"/>
        <source>Cannot write to standard output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Writing the export failed (disk full?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wrote %1 samples to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrote %1 rollups (%2) to %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Agents: %1   Samples stored: %2   Database: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Since when: ISO 8601, or a duration ago such as 7d.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only events of these kinds, e.g. alert-fired,agent-offline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KINDS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only events of this agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only events of this test.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/alertcommands.cpp" line="-442"/>
        <location line="+146"/>
        <location filename="../console/cli/datacommands.cpp" line="-65"/>
        <source>TEST</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/datacommands.cpp" line="+0"/>
        <source>ROUNDS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>RTT MIN ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>RTT AVG ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RTT MAX ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>LOSS %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Keep every sample this long (default 30d).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the rollups per minute this long (default 1y).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the rollups per hour this long (default 5y).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Every sample is kept %1, the rollups per minute %2 and per hour %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Older data is removed in the background by the running console.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>How many of the newest events (default 50).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/alertcommands.cpp" line="+131"/>
        <location filename="../console/cli/datacommands.cpp" line="+16"/>
        <source>--limit must be a whole number from 1 to 100000.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/datacommands.cpp" line="-9"/>
        <location line="+48"/>
        <source>LEVEL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-48"/>
        <source>Only events of this level: info, warning or error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only events whose message holds this text (any case).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write CSV (time,level,kind,agent,test,message) instead of a table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>--level takes info, warning or error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give --csv or --json, not both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <location filename="../console/cli/reportcommand.cpp" line="-37"/>
        <source>KIND</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MESSAGE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/deploycommand.cpp" line="-54"/>
        <source>%1 is new to this computer. Its %2 key is
  %3
Compare it with what the host&apos;s owner gives you. Trust it and go on? (yes/no) </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 (%2 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A host to install the agent on: HOST, USER@HOST or USER@HOST:PORT (repeat for more).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hosts from a file, one per line: host[,port[,user[,agent name]]].</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SSH port (default 22).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PORT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User to log in as (default: you).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>USER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent&apos;s name in the console (one host only; default: the host&apos;s name).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Log in with this private key (default: your SSH agent).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ask for the password (for the login when there is no key, and for sudo).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read that password from the first line of standard input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Host keys to check against (default ~/.ssh/known_hosts).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trust and record the key of a host seen for the first time without asking. A changed key is always refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The console&apos;s address as the agents reach it (default: this computer&apos;s name and the listen port).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HOST:PORT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The agent&apos;s .deb package (cpack -G DEB makes it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How long to wait for each agent to come online (default 60s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The console certificate&apos;s fingerprint for the agents to pin (default: of the certificate this console uses).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SHA256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>--fingerprint &quot;%1&quot; is not a SHA-256 fingerprint; copy it from &apos;streamswarm-console fingerprint&apos; (sha256:ab:cd:...).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--port must be a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Name the hosts: --host HOST (repeat for more) or --hosts-file FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--name is for one --host; name several agents in a --hosts-file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>--key %1: no such file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not read the password from standard input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Password: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--ask-password needs a terminal to ask on; use --password-stdin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give the agent&apos;s package with --package FILE (make it with cpack -G DEB in the build folder).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>--wait must be a duration from 1s to 1h, like 90s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+45"/>
        <source>%1 of %2 host(s) deployed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/testcommands.cpp" line="-11"/>
        <source>Host name or address to test; for %1 also agent:NAME, another agent (started with --stamp-port) reached at the address its connection comes from; for %2 with method=agent, agent:NAME, which serves each round while the console gives the two a turn. Types that measure the agent&apos;s own host (%3) take none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+245"/>
        <source>TARGET</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-244"/>
        <source>Time between rounds (default 1s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How long the test runs (default 60s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run until stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When the test starts: ISO 8601 (2026-12-24T08:00:00Z), or +DURATION from now (+2h). Default: now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Who runs the test: agent names and tag:TAG (every agent with that tag, also later ones), separated by commas; or all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/alertcommands.cpp" line="-264"/>
        <location line="+352"/>
        <location line="+2"/>
        <location filename="../console/cli/testcommands.cpp" line="+2"/>
        <source>LIST</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/testcommands.cpp" line="+1"/>
        <source>A test parameter; repeat for more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KEY=VALUE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>--agents: &quot;all&quot; already means every agent; give it alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--agents names no agent; give names or tag:TAG separated by commas, or all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Give either --duration or --continuous, not both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>--duration must be longer than zero; use --continuous to run until stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>--param &quot;%1&quot; must look like key=value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No agent has the tag &quot;%1&quot; yet; the test starts on agents as they get it (agent tag NAME %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Test types and their parameters (--param KEY=VALUE):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Test name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test type: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+95"/>
        <source>TYPE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/alertcommands.cpp" line="-321"/>
        <location line="+326"/>
        <location filename="../console/cli/testcommands.cpp" line="-87"/>
        <source>--%1 is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/testcommands.cpp" line="+20"/>
        <source>Added test &quot;%1&quot;: %2 %3 every %4, %5, on %6.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>until stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It starts at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The agent &quot;%1&quot; is not connected now; the test waits until it connects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A new name for the test.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove a test parameter (back to its default); repeat for more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KEY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>There is no test named &quot;%1&quot;; see &apos;test list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Changed test &quot;%1&quot;; the agents that run it have the new definition within a second.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Also the tests deleted with their measurements kept, under the name they are kept as.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>INTERVAL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/alertcommands.cpp" line="-225"/>
        <location line="+142"/>
        <location line="+131"/>
        <location filename="../console/cli/testcommands.cpp" line="+1"/>
        <source>AGENTS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/testcommands.cpp" line="+3"/>
        <source>continuous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Stopped test &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Paused test &quot;%1&quot;; resume it with &apos;test resume %1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Resumed test &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Keep the test&apos;s measurements, under a name of their own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the test&apos;s measurements too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Say what happens to the measurements of &quot;%1&quot;: --keep-data keeps them (under a new name, for export and charts), --delete-data deletes them too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Deleted test &quot;%1&quot;; its measurements are kept as &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deleted test &quot;%1&quot; and its measurements.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/cli/reportcommand.cpp" line="+34"/>
        <source>The PDF file to write.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-34"/>
        <source>executive (the default), engineering or evidence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Start time: ISO 8601, or a duration ago (7d). Default: 7 days before --to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>End time: ISO 8601, or a duration ago. Default: now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Only this agent, or tag:TAG for the agents that carry a tag.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a4 (the default) or letter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SIZE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lay the pages out wide.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name on every page&apos;s header. Default: this computer&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency target (default 100ms).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Highest acceptable packet loss in percent (default 1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>PERCENT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Lowest acceptable availability in percent (default 99.9).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>--%1 must be a percentage from 0 to 100, not &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>--template must be executive, engineering or evidence, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+43"/>
        <source>An evidence report is about one incident: give its start with --from and its end with --to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+74"/>
        <source>The schedule&apos;s name; also the start of its files&apos; names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>daily, weekly (Monday to Monday) or monthly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PERIOD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where the PDF files go (a full path).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Also print each report on this printer (CUPS).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>--every must be daily, weekly or monthly, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Scheduled &quot;%1&quot; %2; the first report is made after %3, while a console or collector runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>EVERY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TEMPLATE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>FOLDER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PRINTER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NEXT REPORT AFTER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Removed the scheduled report &quot;%1&quot;; the reports already written stay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Make a report after every day, week or month, into a folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show the scheduled reports.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stop making a scheduled report.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&quot;report schedule&quot; needs an action: add, list or remove; see &apos;%1 schedule add --help&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-205"/>
        <source>--paper must be a4 or letter, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Say where to write the report with --out FILE.pdf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot write the report to %1: the folder %2 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The report was written, but its checksum could not be kept in the event log: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Wrote %1 (%2 pages). Data checksum (SHA-256): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Note: nothing was measured in this period for the tests and agents chosen; the report says so.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Database</name>
    <message>
        <location filename="../console/storage/database.cpp" line="+79"/>
        <source>The database address &quot;sqlite:&quot; names no file; write sqlite:/path/to/file.db.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The database address is not a valid PostgreSQL URL; write postgresql://user:password@host:5432/dbname.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The database address must start with sqlite: or postgresql://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The database path %1 is not a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The database file %1 is read-only; make it writable or use another with --db.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The Qt SQL driver for %1 is not installed (package libqt6sql6-sqlite or libqt6sql6-psql).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+17"/>
        <source>Cannot open the database %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-13"/>
        <source>PostgreSQL at %1 refused the password for user &quot;%2&quot;; check the password in --db or --db-file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PostgreSQL at %1 has no database named &quot;%2&quot;; create it (createdb -O %3 %2) or fix the name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PostgreSQL at %1 has no user named &quot;%2&quot;; create it (createuser -P %2) or fix the name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nothing answers as PostgreSQL at %1; check that the server runs and that the host and port are right (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+113"/>
        <source> Check that the file and its folder are writable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source> Another program holds the database; try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source> The disk is full; free some space.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The database %1 failed: %2.%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The database file %1 is gone.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Delivery</name>
    <message>
        <location filename="../console/alerts/delivery.cpp" line="+83"/>
        <source>Desktop notifications are shown by the console window, not sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The webhook URL %1 is not an http or https URL with a host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not prepare the request to the webhook at %1 (out of memory?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The webhook URL %1 cannot be used: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The webhook at %1 has a certificate this console does not trust (%2): give the right URL, or install its authority&apos;s certificate on this host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../console/alerts/emaildelivery.cpp" line="+265"/>
        <source>The certificate authority file %1 cannot be read: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The webhook at %1 did not answer within %2 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The request to the webhook at %1 was stopped: the console is shutting down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not reach the webhook at %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The webhook at %1 answered HTTP %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>another address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The webhook at %1 answered HTTP %2, a redirect to %3: give the final URL in the alert&apos;s --notify.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The webhook at %1 refused the notification with HTTP %2: check the URL and what the receiver expects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The command %1 does not exist: install it there or change the alert&apos;s --notify command:PATH.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is a folder, not a program: give the program&apos;s path in command:PATH.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The command %1 is not executable: allow it to run (chmod +x) for the console&apos;s user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The command %1 could not be started: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The command %1 was stopped: the console is shutting down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The command %1 did not finish within %2 s and was stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The command %1 crashed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The command %1 crashed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The command %1 ended with exit code %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The command %1 ended with exit code %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/alerts/emaildelivery.cpp" line="-61"/>
        <source>&quot;%1&quot; is not an e-mail address: give email:NAME@DOMAIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not prepare the mail to %1 (out of memory?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The mail server %1 refused the login of &quot;%2&quot;: check the mail user and password in the console&apos;s settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The mail server %1 offers no login method the console can use for &quot;%2&quot; (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The mail server %1 does not offer STARTTLS, and the console sends mail only encrypted: use smtps://HOST:PORT or a server with STARTTLS, or allow plain SMTP in the console&apos;s settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The mail server %1 has a certificate this console does not trust (%2): give its authority&apos;s certificate in the mail settings, or the server&apos;s right name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The mail server URL %1 cannot be used: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The mail server %1 did not take the message within %2 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The mail to %1 was stopped: the console is shutting down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The mail server %1 refused the message to %2 with %3 (%4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The mail server %1 asked to try the message to %2 again later with %3 (%4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not send the mail to %1 through %2: %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::DeployDialog</name>
    <message>
        <location filename="../console/ui/deploydialog.cpp" line="+83"/>
        <source>Install agents over SSH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The agent&apos;s package is copied to each host, installed with sudo, and started. Each host gets its own single-use enrollment token, so it appears under Agents by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Agent name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty: the user in &quot;Log in as&quot; below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty: the host&apos;s own name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Add host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Import CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Your SSH agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A private key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+11"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-4"/>
        <source>For the login, or for sudo when it asks; never stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>~/.ssh/known_hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Log in as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Known hosts file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent package (.deb):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agents connect to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Install</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Select a host to see what happened there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Cancel this host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel &amp;all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+51"/>
        <location line="+8"/>
        <source>Import hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Host lists (*.csv *.txt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Agent package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Debian packages (*.deb);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>For the login and for sudo; never stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only if sudo asks for one; never stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Row %1: the port must be a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Row %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add at least one host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Choose the private key file to log in with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type the password to log in with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose the agent&apos;s package (a .deb file made with cpack -G DEB).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Agents connect to an address like wss://console.example.net:8765.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+41"/>
        <source>New host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 is new to this computer. Its %2 key has the fingerprint

%3

Compare it with what the host&apos;s owner gives you (ssh-keygen -lf /etc/ssh/ssh_host_%4_key.pub on the host). Trust this host and go on?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Stop installing?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Installing is still under way. Stop it? Hosts where the install has begun finish it on their own.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::DeployJob</name>
    <message>
        <location filename="../console/deploy/deployjob.cpp" line="+46"/>
        <source>Could not read the package %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is not a Debian package (.deb).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Cancelled; nothing was installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 is new to this computer: its %2 key is %3. Nothing was done. If that is the key its owner gives you, accept it (--accept-new-host-key, or answer yes when asked).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>WARNING: %1 shows another host key than the one on record (now %2 %3). Someone may be pretending to be this host, or it was reinstalled. Nothing was done. If you know why it changed, remove the old key (%4) and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Checking the host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>agent name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 calls itself &quot;%2&quot;, which cannot be an agent&apos;s name (letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;). Give it a name (--name, or the hosts file&apos;s fourth column).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not look around on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 has no dpkg and apt-get, so it is not a Debian or Ubuntu host. Install the agent there from the .tar.gz instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 has no sudo, and %2 is not root: deploy as root, or install sudo there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 needs a password for sudo on %2. Give it (--ask-password or --password-stdin), or deploy as a user with password-less sudo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 may not use sudo on %2. Nothing was installed. Deploy as a user who may (or as root), or ask the host&apos;s administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sudo on %1 did not accept the password for %2. Nothing was installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sudo failed on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Copying the package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not make a private folder in /tmp on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Installing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The connection to %1 was lost before the install began. Nothing was installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Stopped waiting. The install on %1 had begun and finishes there on its own; deploy again to see how it went.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The connection to %1 was lost during the install. It finishes there on its own; deploy again to see how it went.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Installing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Starting (the host&apos;s own settings are kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The package arrived damaged on %1. Nothing was installed; try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The package is not a Debian package. Nothing was installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The package is for %1, but %2 is %3. Nothing was installed; use the agent package built for %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>apt-get could not install the package on %1; nothing was changed. Its last lines:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The package is installed on %1, but its settings could not be written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent is installed on %1 but did not start:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent started on %1 but stopped at once. Its log:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The install on %1 did not finish (sudo or the shell refused it).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::DeployTargets</name>
    <message>
        <location filename="../console/deploy/deploytargets.cpp" line="+59"/>
        <source>&quot;%1&quot; opens a [ for an IPv6 address but does not close it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot;: after [address] comes :port or nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;%1&quot;: the port must be a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&quot;%1&quot; is not a host name or IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No user for %1: give --user or write user@host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;%1&quot; is not a user name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>agent name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Could not read the hosts file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The hosts file %1 is larger than 1 MB; split it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1, line %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>expected host,port,user,name but found %1 fields.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the port &quot;%1&quot; must be a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>more than %1 hosts; split the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The hosts file %1 names no host.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Deployment</name>
    <message>
        <location filename="../console/deploy/deployment.cpp" line="+36"/>
        <source>Installed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Installed %1 again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Upgraded %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Waiting for its turn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Making an enrollment token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Could not make an enrollment token: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+54"/>
        <source>systemd</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>its init script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1, started by %2; waiting for agent %3 to come back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, started by %2; waiting for agent %3 to enroll</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1; agent %2 is online, on its own settings and credential</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1; agent %2 enrolled and is online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The agent is installed and running, but %1 did not come online within %2 s. Can the host reach %3? Its log on the host: /var/log/streamswarm-agent.log, or journalctl -u streamswarm-agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+6"/>
        <source>Cancelled before it began.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopped waiting; the agent is installed and may still come online.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::DeploymentModel</name>
    <message>
        <location filename="../console/ui/deploymentmodel.cpp" line="+70"/>
        <source>%1: %2 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::DetailModel</name>
    <message>
        <location filename="../console/models/detailmodel.cpp" line="+45"/>
        <source>temperatures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU power</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>batteries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>memory errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>drive health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Issued by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Valid from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Valid until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Subject: %1
Issuer: %2
Serial: %3
SHA-256: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>ALPN %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 port %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 with %2. The certificate is trusted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 with %2. The certificate is not trusted: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>over TCP after a truncated UDP answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>over UDP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>over TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %2: no answer from %3 (asked %4 times %5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 %2: %3 from %4 %5, %6 record(s)%7.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, authoritative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TTL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>HTTP/%1 %2 from %3 port %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No answer from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>redirects followed: %1, to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The certificate is trusted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate is not trusted: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Battery %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+11"/>
        <location line="+68"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-77"/>
        <source>Not available: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Drive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Serial number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>FAILING: back up its data and replace it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connected to %1 port %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: every part of the reading was available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: some parts could not be read; their figures are missing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 call, a %2 ms frame per packet of %3 bytes, DSCP %4; codec values Ie %5, Bpl %6%7.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source> (ITU-T G.113)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (not published by the ITU; G.711&apos;s are used)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Half the round trip stands in for each one-way delay: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Direction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+91"/>
        <source>Jitter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-91"/>
        <source>Network delay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mouth to ear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MOS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+87"/>
        <source>%1 of %2 (%3 %)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-86"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+79"/>
        <location line="+7"/>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-87"/>
        <source>%1 ms (half the round trip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delay impairment Id %1, effective equipment impairment Ie,eff %2, burst ratio %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>There (this agent speaks)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Back (the peer speaks)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing came back, so the call could not be rated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Speed test at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 to %2 port %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, %2, %3 s measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 stream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 streams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>after %1 s of warm-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>this agent sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 per stream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>DSCP %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Measured with %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It waited %1 s for another bandwidth test on this agent to end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+71"/>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-64"/>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Upload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+17"/>
        <source>%1 Mbit/s (%2 in %3 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-12"/>
        <source>%1, second %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+32"/>
        <location line="+39"/>
        <location line="+2"/>
        <source>%1 Mbit/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-70"/>
        <location line="+4"/>
        <source>Nothing was measured.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Arrived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 Mbit/s (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TCP retransmissions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Round trip (TCP&apos;s smoothed RTT)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Congestion control</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Datagrams lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>CPU used here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <location line="+39"/>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-39"/>
        <source>CPU used at the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Second %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>a hidden network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not connected to a Wi-Fi network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is connected to %2 through access point %3 on channel %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is connected to %2 through access point %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It moved here from access point %1 since the round before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Frequency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 MHz, %2 MHz wide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 MHz</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Signal readings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <location line="+8"/>
        <source>%1 dBm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-10"/>
        <source>In the order they were taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Noise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Link quality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sending rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Receiving rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Transmit power</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Interface address</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::EventPane</name>
    <message>
        <location filename="../console/ui/eventpane.cpp" line="+39"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+42"/>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>info</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::FileMenu</name>
    <message>
        <location filename="../console/ui/reportdialog.cpp" line="+418"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A PDF or printed report for managers, engineers or a provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::HeadlessCollector</name>
    <message>
        <location filename="../console/server/headlesscollector.cpp" line="+50"/>
        <source>StreamSwarm console listening on %1 (agents dial --server %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Plain ws:// (--insecure): agents&apos; credentials cross the network unencrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificate fingerprint (agents pin it with --fingerprint): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prometheus metrics at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stopping by itself after %1; press Ctrl+C to stop sooner.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 of %2 agents online, %3 samples stored since start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Stopped: %1 samples stored in this run, from %2 agent(s).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::HostMetricsModel</name>
    <message>
        <location filename="../console/models/hostmetricsmodel.cpp" line="+27"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wireless</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Hardware</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1 d %2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>B/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>kB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source> /s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+143"/>
        <source>Family</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Metric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recent</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::HostWindow</name>
    <message>
        <location filename="../console/ui/hostwindow.cpp" line="+92"/>
        <source>Host of %1 - StreamSwarm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The host of agent %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Loading the last ten minutes...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not read the history: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>No figures of this host yet. Add a system, wireless or hardware test for this agent (Tests &gt; Add test), and they appear here within a round.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 figures. Hover over a name for what it means.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Needs attention: %1 in red, %2 in amber.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::LanguageMenu</name>
    <message>
        <location filename="../console/ui/languagemenu.cpp" line="+14"/>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The console uses %1 from its next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The system&apos;s language</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::LinkMeasure</name>
    <message>
        <location filename="../console/ui/mapitems.cpp" line="+119"/>
        <location line="+15"/>
        <source>no data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-13"/>
        <source>no recent rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>round failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 ms · %2 % loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 % loss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ListTable</name>
    <message>
        <location filename="../console/ui/listwidgets.cpp" line="+62"/>
        <source>Show all columns</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::LiveChart</name>
    <message>
        <location filename="../console/ui/charts/livechart.cpp" line="+52"/>
        <source>Last 5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 6 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Custom…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How much time the chart shows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Which class the chart shows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Follow live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keep the newest rounds in view. Dragging or zooming the chart stops following; double-click the chart to follow again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+34"/>
        <location line="+163"/>
        <source>RTT (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-159"/>
        <source>Loss (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Packet loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Min–max RTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Average RTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Bandwidth test running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+252"/>
        <location line="+66"/>
        <source>No data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+109"/>
        <source>Class %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+62"/>
        <source>&amp;Save chart as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Copy chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Follow live</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MainWindow</name>
    <message>
        <location filename="../console/ui/mainwindow.cpp" line="+103"/>
        <source>StreamSwarm Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+211"/>
        <source>&amp;Path history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-214"/>
        <source>S&amp;ummary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;lerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+75"/>
        <source>&amp;Agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Enrollment tokens…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Install agents over SSH…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Host of the selected agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CPU, memory, disks, interfaces, Wi-Fi and hardware of the agent&apos;s own host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Console &amp;certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Tests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Add test…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About StreamSwarm Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <source>C&amp;hart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Results table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Reset &amp;layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shows every pane again where it was at the first start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Path (newest round)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Newest round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-150"/>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+256"/>
        <source>Select an agent first, then show its host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/ui/certificatebox.cpp" line="+21"/>
        <source>Console certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This console was started with --insecure: agents connect with plain ws:// and their credentials cross the network unencrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Agents check this fingerprint of the console&apos;s certificate. Give it to them with --fingerprint, or compare it with the one an agent trusted on first use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/ui/mainwindow.cpp" line="+157"/>
        <source>No agents yet. Once an agent enrolls, its measurements appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose an agent on the left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 runs no tests yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>There is no live chart for %1, a %2 test; export its results to see them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Could not read the history: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>No data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No data in this time span</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+32"/>
        <source>&lt;b&gt;No agent chosen&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>(offline)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MaintenanceDialog</name>
    <message>
        <location filename="../console/ui/maintenancedialog.cpp" line="+46"/>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Maintenance windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>e.g. nightly-backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>all agents; or names and tag:TAG, separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>all tests; or test names, separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;peat:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;gents:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T&amp;ests:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Alerts that fire inside a window are recorded as silenced and send nothing; measuring goes on. Times are your computer&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <source>%1 – %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, every day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, every week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, every %2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No maintenance window yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Give the window a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The window must end after it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A window that comes again every day must be shorter than a day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A window that comes again every week must be shorter than a week.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Added the maintenance window &quot;%1&quot;. Alerts stay silent then; measuring goes on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Removed the maintenance window &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MaintenanceWindow</name>
    <message>
        <location filename="../console/alerts/maintenancewindow.cpp" line="+60"/>
        <source>maintenance window name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The window must end after it starts: give --to later than --from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--every must be at least an hour (e.g. 1d or 1w).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The window is as long as its repetition or longer, so it would never close; make it shorter than --every.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>test name</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MapLinkItem</name>
    <message numerus="yes">
        <location filename="../console/ui/mapitems.cpp" line="+330"/>
        <source>and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1, %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MapNodeItem</name>
    <message>
        <location line="-229"/>
        <source>Agent, online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Agent, offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Router on a traced path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alerts: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drag to move it; the map keeps where you put it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>alert silenced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>alert firing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+68"/>
        <source>online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MapPane</name>
    <message>
        <location filename="../console/ui/mappane.cpp" line="+83"/>
        <source>Remove background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Agents on the left, the routers of their traced paths in between (by hop), targets on the right. Moves everything on the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Background picture…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A PNG or JPEG picture under the map, such as a floor plan or a site diagram</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Lay &amp;out from paths</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>F&amp;it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shows the whole map (turn the wheel to zoom, drag the background to move around)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Drag agents and targets to where they belong; every console sees the same map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+127"/>
        <source>Could not read the latest rounds: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Could not read a traced path: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Reading the newest traced paths…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Laid out from the newest traced paths.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No traced paths yet (add a traceroute test to see the routers between): agents on the left, targets on the right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Could not save the map: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Could not read the map: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The map&apos;s background picture cannot be shown: it is not a PNG or JPEG picture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Choose a background picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pictures (*.png *.jpg *.jpeg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 is larger than 16 MB; choose a smaller picture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 is not a PNG or JPEG picture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The background picture is saved with the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The background picture is removed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MapScene</name>
    <message>
        <location filename="../console/ui/mapscene.cpp" line="+363"/>
        <source>hop %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MetricsExporter</name>
    <message>
        <location filename="../console/prometheus/metricsexporter.cpp" line="+102"/>
        <source>/metrics holds at most %1 series; newer ones are left out of it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MetricsServer</name>
    <message>
        <location filename="../console/prometheus/metricsserver.cpp" line="+39"/>
        <source>Not found: this server answers only GET %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only GET and HEAD are allowed on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The request head is longer than %1 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Too many connections at once; try again shortly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The request is not one this server understands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cannot serve metrics on %1 (--metrics-listen): %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Notifier</name>
    <message>
        <location filename="../console/alerts/notifier.cpp" line="+84"/>
        <source>The notification queue is full (%1 waiting), so the notification to %2 was dropped: check why the notification targets fail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+96"/>
        <source>Gave up after %n attempts: %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::NotifyTarget</name>
    <message>
        <location filename="../console/alerts/notifytarget.cpp" line="+88"/>
        <source>The notification target is empty: write webhook:URL, email:ADDRESS, command:PATH or desktop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The notification target is %1 characters long, more than the %2 allowed: give a shorter URL, address or path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The notification target holds a line break or another control character: write it on one line, e.g. webhook:https://hooks.example.net/alerts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&quot;desktop&quot; takes nothing after it: write desktop alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;%1&quot; is not a notification target: write webhook:URL, email:ADDRESS, command:PATH or desktop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1:&quot; needs something after the colon: write e.g. %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; is not an http or https URL: write webhook:https://HOST/PATH, e.g. webhook:https://hooks.example.net/alerts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The webhook URL names no host: write webhook:https://HOST/PATH, e.g. webhook:https://hooks.example.net/alerts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;%1&quot; holds more than one address or a space: give one address per --notify, e.g. --notify email:noc@example.net --notify email:oncall@example.net.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; is not an e-mail address: write email:NAME@DOMAIN, e.g. email:noc@example.net.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;%1&quot; is not an absolute path: write command:/FULL/PATH/TO/PROGRAM, e.g. command:/usr/local/bin/page-oncall (it gets the alert as JSON on its standard input).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Operations</name>
    <message>
        <location filename="../console/app/operations.cpp" line="+104"/>
        <source>token name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A token that moves an agent to a new host lets exactly one agent enroll.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A token lets 1 to %1 agents enroll.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A token must stay valid for longer than zero; one that has already expired lets no agent join.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A token may stay valid for at most %1 (about 27 years).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>test name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give a target: the host name or address to test.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose the agents that should run the test: by name, by tag, or all agents.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+181"/>
        <source>agent name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-177"/>
        <location line="+193"/>
        <source>tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Agent &quot;%1&quot; already runs %2 tests, the most one agent can run. Stop a test it runs, or give this test to another agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+47"/>
        <location filename="../console/app/operationsalerts.cpp" line="+130"/>
        <source>There is no test named &quot;%1&quot;; see &apos;test list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A test keeps its type (&quot;%1&quot; is a %2 test). To measure with another type, add a new test, or duplicate this one in the window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/app/operationsalerts.cpp" line="+3"/>
        <source>&quot;%1&quot; is a %2 test; route changes are seen by traceroute tests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A %1 test does not measure %2; it measures %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>There is no alert named &quot;%1&quot; to depend on; see &apos;alert list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+64"/>
        <source>The comment is too long; keep it under 1,000 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+23"/>
        <source>There is no alert named &quot;%1&quot;; see &apos;alert list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-18"/>
        <source>The alert &quot;%1&quot; is not firing, so there is nothing to acknowledge.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>someone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+208"/>
        <source>No %1 for alert &quot;%2&quot;: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+90"/>
        <source>From %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No traceroute round came back from the agents in trouble.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The traceroute test %1 is gone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The map has more than %1 things on it; remove some first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The background picture is larger than 16 MB; choose a smaller one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The map cannot be saved: a node has no name or no place.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ParameterForm</name>
    <message>
        <location filename="../console/ui/parameterform.cpp" line="+51"/>
        <source>%1 (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>default %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::PathHistory</name>
    <message>
        <location filename="../console/models/pathhistory.cpp" line="+120"/>
        <source>hop %1: %2 → %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 hops → %2 hops</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::PathHistoryPane</name>
    <message>
        <location filename="../console/ui/pathhistorypane.cpp" line="+62"/>
        <source>RTT per hop (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hops</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Path after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Could not read the path&apos;s history: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose a traceroute test to see how its path changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>The path did not change in the last 24 hours (rounds: %n).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Path changes in the last 24 hours: %n. The newest is first below.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Before: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::PathModel</name>
    <message>
        <location filename="../console/models/pathmodel.cpp" line="+74"/>
        <source>Reached %1 in 1 hop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reached %1 in %2 hops.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 did not answer; the path is shown as far as it goes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loss starts at hop %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Latency rises by %1 ms at hop %2 (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>+%1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This hop answered from %1 addresses (load balancing):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: 1 answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1: %2 answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+49"/>
        <source>This router answers only some of our probes itself (it limits its ICMP replies); the hops after it show whether packets really get lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Loss starts here: %1 points more than the hop before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Latency rises here: %1 ms more than the hop before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Hop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loss %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Avg ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Best ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Worst ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>StDev ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::PrivateFiles</name>
    <message>
        <location filename="../console/storage/privatefiles.cpp" line="+47"/>
        <source>Cannot create the folder %1; check the permissions of %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cannot create %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::RangeDialog</name>
    <message>
        <location filename="../console/ui/charts/rangedialog.cpp" line="+33"/>
        <source>Time span of the chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The end must be at least a minute after the start.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportChart</name>
    <message>
        <location filename="../console/reports/reportchart.cpp" line="+318"/>
        <location line="+37"/>
        <source>Outage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-30"/>
        <location line="+32"/>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-25"/>
        <location line="+27"/>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Nothing was measured in this period.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportCollector</name>
    <message>
        <location filename="../console/reports/reportdata.cpp" line="+218"/>
        <source>There is no agent named &quot;%1&quot;; see &apos;streamswarm-console agent list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No agent carries the tag &quot;%1&quot;; see &apos;streamswarm-console agent list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The report would hold more than %1 agents&apos; tests; choose a test, an agent or a tag.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>There is no test named &quot;%1&quot;; see &apos;streamswarm-console test list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+206"/>
        <source>The last round before the incident, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The worst round during the incident, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The first round after the incident, %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportDialog</name>
    <message>
        <location filename="../console/ui/reportdialog.cpp" line="-363"/>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Executive: a plain summary for managers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Engineering: every test in detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evidence: one incident, for a provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous calendar month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From – to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;To:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Every test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>T&amp;ests:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Every agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Agents tagged %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;gents:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A round met the latency target when it took at most this long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Latency target:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Highest l&amp;oss:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lowest availa&amp;bility:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Pri&amp;nt…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-30"/>
        <source>A4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>US Letter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lands&amp;cape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pape&amp;r:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The name on every page&apos;s header, e.g. your site or customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Site name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Pre&amp;view…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save as P&amp;DF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sc&amp;hedules…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Make this report after every day, week or month, into a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+116"/>
        <source>Reading the figures…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The printer is not available any more; choose another or save a PDF.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The printer reported an error; nothing may have been printed. Try again, or save a PDF.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sent %1 pages to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Save the report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF documents (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Wrote %1 (%2 pages).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The report was made, but its checksum could not be kept in the event log: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportDocument</name>
    <message>
        <location filename="../console/reports/reportdocument.cpp" line="+31"/>
        <source>type %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>target %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 (mean)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lowest to highest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+57"/>
        <location line="+14"/>
        <source>Cannot write the report to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+40"/>
        <source>Data checksum (SHA-256): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Agents: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tests: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Targets: latency at most %1 in 99 % of rounds, packet loss at most %2, available at least %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Made on %1 by StreamSwarm %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>At a glance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+6"/>
        <source>Contents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Top problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>None: every path met its targets and had no outage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not shown: %1 (reports do not chart these kinds of test yet).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Test parameters: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rounds measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+17"/>
        <location line="+58"/>
        <location line="+59"/>
        <location line="+117"/>
        <source>Mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-250"/>
        <source>Rounds that got nothing through</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+74"/>
        <source>Lowest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-72"/>
        <source>… of which failed, with a reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+72"/>
        <source>Highest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-70"/>
        <source>Rounds missing (no data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+70"/>
        <source>Packet loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-68"/>
        <location line="+127"/>
        <source>Available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-127"/>
        <source>Within the latency target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Where the time went (means)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Phase, from the start of the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+112"/>
        <source>Outages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-108"/>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+159"/>
        <source>Lasted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-159"/>
        <location line="+48"/>
        <source>Rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-41"/>
        <source>%1 more outages are not listed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Path changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+34"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-34"/>
        <source>What changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Events of this test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+168"/>
        <location line="+1"/>
        <source>What happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-150"/>
        <source>Before (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>During (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>How these figures were taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Timestamps: the rounds did not say how they were taken.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Timestamps: taken by the %1 (the weakest source any round used).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-10"/>
        <source>network card&apos;s own clock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>kernel, as each packet passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>agent&apos;s program, around each send and receive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The agent&apos;s clock was synchronised (NTP): offset %1 µs, estimated error %2 µs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The agent&apos;s clock was not synchronised (NTP), so its times may be off by more than usual.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The agent&apos;s clock against the console&apos;s, at its last connection: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Events around the incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Service levels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Targets: latency at most %1 in 99 % of rounds, packet loss at most %2, available (rounds that got something through) at least %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+96"/>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-96"/>
        <location line="+96"/>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-96"/>
        <source>Within latency target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+117"/>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-116"/>
        <source>Met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>no data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No alert fired in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Alerts fired %1 times, for %2 in all; %3 of those times someone acknowledged them, after %4 on average (mean time to acknowledge).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Alerts fired %1 times, for %2 in all; none was acknowledged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+11"/>
        <source>Alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+11"/>
        <source>Fired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Firing in all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Longest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time to acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Held or silenced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Where, and what was done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Seen behind the shared hop %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Held: &quot;%1&quot; explained it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Silent: maintenance window &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Acknowledged by %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged by %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>still firing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Only the newest %1 are listed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No events in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+1"/>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Only the first %1 events are listed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Hop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Best</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Worst</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>StDev</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The trace did not reach %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Checksum of this report&apos;s data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The console computed this checksum from the figures in this report and keeps it in its event log, with the time the report was made. Making the same report again from the console&apos;s database gives the same checksum as long as the data has not been changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportPages</name>
    <message>
        <location filename="../console/reports/reportpages.cpp" line="+296"/>
        <source>Page %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Page %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportRequest</name>
    <message>
        <location filename="../console/reports/reportrequest.cpp" line="+17"/>
        <source>The report&apos;s period is empty: its start must come before its end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>An evidence report covers one incident of at most %1; this period is %2. Give the incident&apos;s start and end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A report covers at most %1; this period is %2. Make one report per year.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The latency target must be more than 0 ms and at most 1,000,000 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Loss and availability targets are percentages, from 0 to 100.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;tag:&quot; needs a tag after it, e.g. tag:site-a.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Network service report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Engineering report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Incident evidence</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportSchedule</name>
    <message>
        <location filename="../console/reports/reportschedule.cpp" line="+43"/>
        <source>schedule name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Give the folder for the reports as a full path, e.g. /srv/reports.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The folder %1 does not exist; make it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Evidence is about one incident, so it cannot be scheduled; schedule an executive or engineering report.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; is not a printer name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+64"/>
        <source>every day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>every week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>every month</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportScheduler</name>
    <message>
        <location filename="../console/reports/reportscheduler.cpp" line="+127"/>
        <source>%1 could not be started: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the report program stopped before it was done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the report was written, but it could not be printed: &apos;lp&apos; (CUPS) is not installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the report was written, but printer &quot;%1&quot; did not take it: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lp failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportWording</name>
    <message>
        <location filename="../console/reports/reportwording.cpp" line="+20"/>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: nothing was measured in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Latency from %1 to %2 (%3) stayed under %4 %5 of the time, %6 on average</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 of %2 to %3 (%4) averaged %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 to %2 (%3) got nothing through</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>there were no outages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>one outage of %1, on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 outages totalling %2, on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>packet loss averaged %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No agent ran a test that this report covers in this period, so there is nothing to report. Check the period, the test and the agents chosen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The agents stored no measurements in this period: they were offline, or the tests had not started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Over %1 one path was measured, and it met every target.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Over %1 one path was measured, and it missed a target.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Over %1, %2 paths (an agent&apos;s test each) were measured: %3 of them met every target.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No path had an outage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Outages (rounds in a row that got nothing through): %1, totalling %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>available %1 of the time (target %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>lost %1 of its packets (target at most %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>latency over %1 in %2 of its rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>outages: %1, the longest %2 on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>no rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 on average</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 failed outright</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 rounds (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>During the incident (%1), %2 had %3. Before it: %4. After it: %5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: our data has no gaps: every round due was measured and stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 of %3 rounds due are missing from our data, because the agent was offline, stopped, or lost data it had kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No data at all: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 – %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 d %2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+37"/>
        <source>%1 and %2 more days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 and %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ResultsModel</name>
    <message>
        <location filename="../console/models/resultsmodel.cpp" line="+182"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failure</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ResultsPane</name>
    <message>
        <location filename="../console/ui/resultspane.cpp" line="+50"/>
        <source>Filter rows (any column)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copies the selected rows (or all shown) as text for a spreadsheet (Ctrl+C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saves the selected rows (or all shown) as CSV or JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Could not read the results: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose an agent and a test</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Rounds in the last 24 hours: %n</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>There are no rows to export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+5"/>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+9"/>
        <location line="+8"/>
        <source>Export results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-17"/>
        <source>There are no rows to export yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CSV for spreadsheets (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::RetentionRepository</name>
    <message>
        <location filename="../console/storage/retention.cpp" line="+32"/>
        <source>for ever</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Data is kept for at least a day (1d), or for ever (0).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rollups must be kept at least as long as the finer data they summarise: raw %1, per minute %2, per hour %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+45"/>
        <source>The stored setting %1 is not a number (%2); set it again with &apos;streamswarm-console retention --raw 30d&apos; (or the value you want).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Samples</name>
    <message>
        <location filename="../console/storage/samplewrites.cpp" line="+453"/>
        <source>Results for an unknown agent (id %1) were not stored.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ScheduleDialog</name>
    <message>
        <location filename="../console/ui/scheduledialog.cpp" line="+30"/>
        <source>Scheduled reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>e.g. weekly-managers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder for the reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Do not print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Every:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Printer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Each report covers the day, week (Monday to Monday) or month that has just ended, as the report window describes it now (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>%1: %2 %3, into %4%5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, printed on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No report is scheduled yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Scheduled &quot;%1&quot; %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Removed &quot;%1&quot;; the reports already written stay.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ScheduleRepository</name>
    <message>
        <location filename="../console/storage/schedulerepository.cpp" line="+22"/>
        <source>There is already a scheduled report named &quot;%1&quot;; see &apos;report schedule list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+51"/>
        <source>There is no scheduled report named &quot;%1&quot;; see &apos;report schedule list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Schema</name>
    <message>
        <location filename="../console/storage/schema.cpp" line="+313"/>
        <source>The database %1 was made by a newer StreamSwarm (schema %2; this version knows up to %3). Update StreamSwarm to open it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ServerLock</name>
    <message>
        <location filename="../console/server/serverlock.cpp" line="+34"/>
        <source>Cannot create the lock file %1.lock beside the database; check the folder&apos;s permissions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>PID %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PID %1 on %2, agents dial %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Another console (%1) is already using the database %2. Stop that one first, or give this one its own --data-dir. The commands (token, agent, test, export ...) work beside a running console.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ServerOptions</name>
    <message>
        <location filename="../console/cli/serveroptions.cpp" line="+47"/>
        <source>--listen &quot;%1&quot; is not HOST:PORT with an IP address, like 0.0.0.0:8765 or [::1]:8765.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--metrics-listen &quot;%1&quot; is not HOST:PORT with an IP address and a port from 1 to 65535, like 127.0.0.1:9464.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The mail password file %1 cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it is too large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The mail server for alert e-mails: smtp://HOST:587 (STARTTLS) or smtps://HOST:465.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The sender address of alert e-mails.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ADDRESS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The account to log in to the mail server with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>USER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A file holding the mail account&apos;s password (keep it readable by this account only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trust the mail server&apos;s certificate when signed by this PEM authority (default: the system&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send alert e-mails without TLS (for labs only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trust webhook servers&apos; certificates when signed by this PEM authority (default: the system&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>StreamSwarm console: collects what agents measure, shows it and keeps it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Run as a collector without a window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Address and port for agents (default 0.0.0.0:8765).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>HOST:PORT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Serve Prometheus metrics over plain HTTP on this address and port (off by default); keep it on loopback or a management network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Speak plain ws:// instead of wss:// (for labs only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use this PEM certificate instead of the console&apos;s own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-28"/>
        <location line="+4"/>
        <location line="+5"/>
        <location line="+19"/>
        <location line="+1"/>
        <source>FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The PEM private key for --cert.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop by itself after this long (e.g. 60s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>DURATION</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Give --cert and --key together.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>--insecure turns TLS off, so --cert and --key would not be used; leave one or the other out.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::SmtpSettings</name>
    <message>
        <location filename="../console/alerts/emaildelivery.cpp" line="-202"/>
        <source>No mail server is set: give --smtp-server smtp://HOST:PORT in the console&apos;s settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The mail server &quot;%1&quot; is not a URL the console can use: write smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT (TLS from the start).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The mail server&apos;s URL holds a user or password: give them with --smtp-user and the password setting instead, and write smtp://HOST:PORT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No sender address is set: give --smtp-from with the address alerts come from, e.g. streamswarm@example.net.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The sender address &quot;%1&quot; is not an e-mail address: give --smtp-from NAME@DOMAIN, e.g. streamswarm@example.net.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A mail server password is set but no user: give --smtp-user as well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate authority file &quot;%1&quot; cannot be read: give a readable PEM file, or none to trust the system&apos;s authorities.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::SshConnection</name>
    <message>
        <location filename="../console/deploy/sshconnection.cpp" line="+81"/>
        <location line="+150"/>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-148"/>
        <source>Could not connect to %1 port %2: no answer within %3 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not connect to %1 port %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 did not show its host key: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Could not read the known hosts file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Could not add %1&apos;s key to the known hosts file: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The connection to %1 failed while logging in: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not read the private key %1. If it has a passphrase, add it to your SSH agent (ssh-add %1) and leave out --key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the key %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the keys in your SSH agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No way to log in to %1: give a key (--key FILE) or a password, or start an SSH agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 takes no passwords: log in with a key (--key FILE) or your SSH agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 refused %2 for user %3. Nothing was done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source> and </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Could not run a command on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 offers no SFTP (its sshd needs a &quot;Subsystem sftp&quot; line): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not create %1 on %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The connection to %1 was lost while copying the package: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The copy of the package on %1 could not be finished: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::StatusFigures</name>
    <message>
        <location filename="../console/ui/statusfigures.cpp" line="+64"/>
        <source>Listening on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Plain ws:// (--insecure): credentials cross the network unencrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificate fingerprint: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Database: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 agents online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 samples/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Samples stored per second over the last %n seconds; %1 this session.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::StorageWorker</name>
    <message>
        <location filename="../console/storage/storageservice.cpp" line="+113"/>
        <source>The database did not take the results.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::SummaryPane</name>
    <message>
        <location filename="../console/ui/summarypane.cpp" line="+110"/>
        <source>Rounds that worked (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Packets lost (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost or failed (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+124"/>
        <source>No agent sent a round in the last 15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agents in the last 15 minutes, least healthy on top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>deleted test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No path sent a round in the last 15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Worst paths now: most lost first, then slowest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No path lost anything in the last 15 minutes; slowest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>agent %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::TestActions</name>
    <message>
        <location filename="../console/ui/testactions.cpp" line="+25"/>
        <source>&amp;Edit test…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;uplicate test…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Pause test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Resume test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stop test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Delete test…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Stop test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the test &quot;%1&quot; for good? Its measurements stay. To stop it for a while, pause it instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Delete test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the test &quot;%1&quot;? Its agents stop running it.

Keep its measurements? Kept, they stay available for export and charts under the name &quot;%1.deleted-…&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete, keep the data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete with its data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The test was not changed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::TestListModel</name>
    <message>
        <location filename="../console/models/testlistmodel.cpp" line="+43"/>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>tag %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agents</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::TestRepository</name>
    <message>
        <location filename="../console/storage/testrepository.cpp" line="+62"/>
        <location line="+31"/>
        <source>A test named &quot;%1&quot; exists already; pick another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The test was deleted meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+61"/>
        <source>There is no running test named &quot;%1&quot;; see &apos;test list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>There is no test named &quot;%1&quot; that runs or waits to start; see &apos;test list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no paused test named &quot;%1&quot;; see &apos;test list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>There is no test named &quot;%1&quot;; see &apos;test list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+67"/>
        <source>There is no agent named &quot;%1&quot;; see &apos;agent list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent &quot;%1&quot; was revoked and cannot run tests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>There is no agent named &quot;%1&quot; to measure to; see &apos;agent list&apos; for the names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no agent named &quot;%1&quot; to measure to; see &apos;agent list&apos; for the names. The target agent also needs to run with --stamp-port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The agent &quot;%1&quot; was revoked and cannot be measured to.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::TokenListModel</name>
    <message>
        <location filename="../console/models/tokenlistmodel.cpp" line="+56"/>
        <source>New agents can enroll with this token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This token has expired; agents can no longer enroll with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every enrollment this token allowed has been used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This token was revoked; agents can no longer enroll with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Uses left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::TokenRepository</name>
    <message>
        <location filename="../console/storage/tokenrepository.cpp" line="+37"/>
        <source>A token named &quot;%1&quot; exists already (names stay taken after a token is revoked); pick another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+48"/>
        <source>There is no active token named &quot;%1&quot;; see &apos;token list&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::TokensDialog</name>
    <message>
        <location filename="../console/ui/tokensdialog.cpp" line="+136"/>
        <source>Enrollment tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>An agent joins this console once, with an enrollment token. After that it signs in with its own key, so a token can be revoked as soon as its agents have joined.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No enrollment tokens yet.
Create one to let agents join this console.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>New token…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revoke…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop agents from enrolling with the chosen token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>for example branch-offices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;; at most %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>How many agents may enroll with this token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agents it can enroll:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The token is shown only once, right after you create it, so be ready to copy it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Create token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>New enrollment token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy the token to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Copy this token now. It is shown only once; StreamSwarm keeps only a hash of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>To enroll an agent, save the token in a file on the agent&apos;s computer, readable only by the account the agent runs as, and start the agent with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Once the agent has joined, it signs in with its own key: then delete the file, and leave out --token-file when you start the agent again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+95"/>
        <source>%1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Token &quot;%1&quot; created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It lets one agent enroll, until %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It lets %1 agents enroll, until %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Agents on other computers need this computer&apos;s network name or address in place of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Revoke token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revoke the enrollment token &quot;%1&quot;?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agents can no longer enroll with it. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+37"/>
        <source>minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Could not read the tokens: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Verdict</name>
    <message>
        <location filename="../console/alerts/verdict.cpp" line="+30"/>
        <source>The traceroute taken when the alert fired found no hop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>When traced, the path to %1 lost nothing that carried on to the target.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>hop %1 (no answer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 % lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loss starts at the first hop, %1 (the gateway: %2), and goes on to the target.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Every hop before the target answered without loss; only the target %1 lost (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Loss starts at %1 (%2), still inside your network, and goes on to the target.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Loss starts at %1 (%2), outside your network, and goes on to the target: the provider&apos;s side.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>On this side: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At the provider: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At the remote end: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+5"/>
        <source>No verdict: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-1"/>
        <source>No verdict: there was no traceroute to judge by.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Duration</name>
    <message>
        <location filename="../shared/util/duration.cpp" line="+46"/>
        <source>The duration is empty; write it like 500ms, 10s, 5m, 2h or 7d.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The duration &quot;%1&quot; is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&quot;%1&quot; is not a duration; write a whole number and a unit, like 500ms, 10s, 5m, 2h or 7d.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>&quot;%1&quot; is more than a hundred years ago.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&quot;%1&quot; is not a time; write it in ISO 8601 (2026-11-26T08:00:00Z) or as a duration ago (2h).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Metrics</name>
    <message>
        <location filename="../shared/testtypes/bandwidth.cpp" line="+186"/>
        <source>Throughput: the data that arrived at the receiving end per second, all streams together (a speed test: its download, or its upload when it only uploads)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The data the sending end sent per second, all streams together</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TCP segments the sending end sent again during the test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>UDP: how unevenly the packets arrived (RFC 3550 jitter, as iperf3 reports it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>UDP: datagrams that did not arrive, of those sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Speed test: what the server&apos;s data arrived at, after the warm-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Speed test: what this agent&apos;s uploads were sent at, after the warm-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/dns.cpp" line="+219"/>
        <source>Time from sending the DNS query to its answer, retries included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Response code of the DNS answer: 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Records in the answer section of the DNS answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shortest time to live among the answer&apos;s records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/hardware.cpp" line="+78"/>
        <source>Temperature of a sensor on the board, CPU or another chip, as its driver reports it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Speed of a fan; 0 when it has stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Power drawn by a CPU package or one of its parts (cores, memory) over the round, from its energy counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Charge left in a battery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rate at which a battery charges or discharges (its status says which)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>1 while the host runs on mains power, 0 while on battery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory errors that ECC found and corrected during the round; a few are harmless, a rising count points at a failing module</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Memory errors that ECC found but could not correct during the round: data was lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Corrected memory errors since the host started (or its counters were reset)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Uncorrected memory errors since the host started (or its counters were reset)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>1 when the drive&apos;s own health check passes, 0 when the drive says it is failing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Temperature the drive reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sectors the drive has replaced with spares because they went bad (SMART attribute 5, or the SCSI grown defect list); a rising count warns of failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sectors that could not be read and wait to be replaced (SMART attribute 197)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hours the drive has been powered on in its life</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of an NVMe drive&apos;s rated write endurance used up; may pass 100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Data integrity errors an NVMe drive could not recover from, in its life</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/http.cpp" line="+152"/>
        <source>Time from the start of the round&apos;s first request until its name was resolved (curl&apos;s time_namelookup)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Time from the start of the first request until its TCP connection was set up (time_connect)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time from the start of the first request until its TLS handshake was done (time_appconnect); only for https</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Time from the start of the first request until the first byte of the answer (time_starttransfer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Time from the start of the first request until its answer was complete, redirects included (time_total)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Body bytes of the first request as they came over the wire, before decompression (size_download)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Body bytes on the wire x 8 / (total - time to first byte), in Mbit/s; over the total when the two are equal; not reported without a body</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Status code of the final answer (http_code)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redirects followed (num_redirects)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Decoded body size / body size on the wire; 1 when the body was not compressed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time OpenSSL spent validating the server&apos;s certificate chain in the first handshake; only for https</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>1 when requests 2 to N of the round reused the first request&apos;s connection, else 0; only with requests &gt; 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mean time to first byte of requests 2 to N of the round; only with requests &gt; 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mean total time of requests 2 to N of the round; only with requests &gt; 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/ping.cpp" line="+131"/>
        <source>Shortest echo round-trip time in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean echo round-trip time in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Longest echo round-trip time in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean deviation of the round-trip times in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Interarrival jitter (RFC 3550) of the round-trip times, running across rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of echo requests with no reply in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Echo requests sent in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Distinct echo replies received in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Echo replies received more than once in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Median echo round-trip time in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sample standard deviation of the round-trip times in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Echo replies that arrived after the reply to a later echo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Echo requests answered by an ICMP error (unreachable, TTL exceeded, prohibited)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/qos.cpp" line="+94"/>
        <source>STAMP test packets sent in this class in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of this class&apos;s packets with no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of this class&apos;s packets lost on the way to the reflector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of this class&apos;s packets lost on the way back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shortest two-way delay in this class, reflector time excluded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Median two-way delay in this class, reflector time excluded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Longest two-way delay in this class, reflector time excluded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Interarrival jitter (RFC 3550) of this class&apos;s two-way delays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Interarrival jitter (RFC 3550) on the way to the reflector; needs no synchronised clocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Interarrival jitter (RFC 3550) on the way back from the reflector; needs no synchronised clocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Test packets in this class that reached the reflector after a later one in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replies in this class that reached us after a later reply of the reflector in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Extra copies of this class&apos;s test packets that reached the reflector in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Extra copies of the reflector&apos;s replies in this class that reached us</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 when this class&apos;s marking arrived unchanged both ways, else 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Median one-way delay to the reflector; only when both clocks are synchronised well enough</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Median one-way delay back from the reflector; only when both clocks are synchronised well enough</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/system.cpp" line="+118"/>
        <source>Share of time all cores spent on work (everything but idle, iowait and steal) since the last round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time all cores ran programs (user mode, nice included)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time all cores ran the kernel, interrupts included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of time cores sat idle waiting for disk or network storage to answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time a virtual machine&apos;s cores wanted to run but the hypervisor ran someone else</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time all cores had nothing to do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of time one core spent on work since the last round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time one core ran programs (user mode, nice included)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time one core ran the kernel, interrupts included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time one core sat idle waiting for storage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of time one virtual core was held back by the hypervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time one core had nothing to do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cores (logical CPUs) the system counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load average over 1 minute: processes running or waiting to run (or for disk)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Load average over 5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load average over 15 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Times per second the cores switched from one task to another</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hardware and timer interrupts per second, all cores together</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory the system can use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory in use by programs and the kernel, without what could be freed at once (total minus available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Memory that programs could get now without swapping, the page cache it can drop included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Memory holding file contents (page cache and buffers), freed when programs need it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Memory in use as a share of the total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Swap space configured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Swap space in use: memory pushed out to disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Swap in use as a share of the swap space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Processes and threads the kernel knows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tasks running or ready to run at the moment of the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tasks waiting for disk or other I/O at the moment of the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New processes and threads started per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time since the host started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Size of a mounted filesystem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Space used on a mounted filesystem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Space still free for ordinary users on a mounted filesystem (the part kept for root not counted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Space used as a share of what ordinary users can have, as df shows it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>File slots (inodes) used as a share of all: when full, no new file fits even with space left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Bytes read per second from a disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes written per second to a disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read operations completed per second (read IOPS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write operations completed per second (write IOPS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of time a disk had at least one request in progress; near 100 % it is saturated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Bytes received per second on a network interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes sent per second on a network interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Packets received per second on a network interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Packets sent per second on a network interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Received packets per second that arrived damaged (bad checksum, frame or length): a cable, port or radio problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Packets per second the interface failed to send (carrier lost, collisions, aborted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Good packets per second thrown away on receipt because the host had no room or no use for them (full queues, unknown protocol), not damage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Packets per second thrown away before sending because the queue was full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Link speed the interface negotiated; absent when the driver does not say (virtual and wireless links)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>1 when the interface is up and can carry traffic, 0 when it is down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Largest packet the interface sends without splitting it (MTU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TCP connections this host started per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TCP connections this host accepted per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TCP resets this host sent per second: connections refused or cut off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TCP connections open at the moment of the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of TCP segments sent that were sent again because they were lost or late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TCP segments per second that arrived out of order and waited for the missing ones (loss or reordering on the way here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Duplicate ACKs per second in which a peer reported data it got twice (D-SACK): resends that were not needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>TCP segments per second sent again at once because duplicate ACKs showed them lost (fast retransmit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>TCP retransmission timeouts per second: a sender heard nothing back and had to wait, the slow way to recover a loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open TCP connections per second that ended with a reset, sent or received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>UDP datagrams per second that could not be delivered (bad checksum or no room)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>UDP datagrams per second dropped because a program&apos;s receive buffer was full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sockets in use on the host, all protocols</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/tcp.cpp" line="+55"/>
        <source>Time from sending the SYN to the connection being open (the three-way handshake)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/tls.cpp" line="+120"/>
        <source>Time to open the TCP connection the handshake runs on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time from the open connection to the end of the TLS handshake, certificate validation included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time the handshake spent validating the server&apos;s certificate chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Whole days until the server&apos;s certificate expires; negative once it has expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 when the certificate chain is trusted and names the server, 0 when it is not</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/traceroute.cpp" line="+104"/>
        <source>Hops on the path to the destination, or probed when not reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 when the round&apos;s probes reached the destination, else 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean round-trip time to the destination in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of the round&apos;s probes to the destination without an answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 when the hop addresses differ from the previous round&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/voice.cpp" line="+106"/>
        <source>Call quality from 1 (impossible) to 4.5 (perfect) in the worse direction, as the ITU-T E-model rates this path for the codec; 4 and above is good, below 3.6 people complain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The E-model&apos;s rating (R-factor, 0 to 100) in the worse direction: 90 and above is best, below 70 many users are dissatisfied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Call quality of this agent&apos;s speech as the peer hears it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Call quality of the peer&apos;s speech as this agent hears it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Voice packets lost on the way to the peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Voice packets lost on the way back from the peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Jitter on the way to the peer (RFC 3550): how unevenly the packets arrive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Jitter on the way back from the peer (RFC 3550)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One-way network delay to the peer (median); only when both clocks are synchronised well enough</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>One-way network delay back from the peer (median); only when both clocks allow it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Round-trip network delay (median), the reflector&apos;s time taken out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Voice packets sent in the round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/wireless.cpp" line="+75"/>
        <source>The weakest signal from the access point among the round&apos;s readings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signal from the access point, averaged over the round&apos;s readings (-50 dBm is excellent, -67 enough for calls and video, below -80 barely usable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The strongest signal from the access point among the round&apos;s readings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The background noise on the channel, as the radio measures it (not every driver does)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How far the average signal stands above the noise (25 dB or more is good; below 15 dB, expect retries and slow rates)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Link quality from the average signal, as Linux has long shown it: -110 dBm is 0 %, -40 dBm or stronger 100 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The rate the last frame to the access point was sent at: what the radio chose, not the throughput</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The rate the last frame from the access point came at: what the radio chose, not the throughput</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The centre frequency of the channel the interface is on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The channel number the interface is on (1-14: 2.4 GHz, 32-177: 5 GHz, 1-233 at 6 GHz)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The power the interface transmits at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 while the interface is connected to an access point, 0 while it is not</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Protocol::EventText</name>
    <message>
        <location filename="../shared/protocol/eventtext.cpp" line="+28"/>
        <source>Agent enrolled from %1 (%2) with token &quot;%3&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agent &quot;%1&quot; moved from host %2 to %3 (%4) with token &quot;%5&quot;; the old host&apos;s credential no longer works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Agent connected from %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent disconnected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused agent &quot;%1&quot; from %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agent &quot;%1&quot; now uses a new credential; the old one no longer works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The clock of agent &quot;%1&quot; is %2 ms ahead of the console&apos;s (give or take %3 ms). Its measurement times are off by as much; set up time synchronisation (NTP, chrony) on that host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The clock of agent &quot;%1&quot; is %2 ms behind the console&apos;s (give or take %3 ms). Its measurement times are off by as much; set up time synchronisation (NTP, chrony) on that host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Too many failed sign-in attempts from %1; connections from it are refused for %2 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Agent &quot;%1&quot; should run %2 tests, but one agent runs at most %3: the newest %4 wait. Stop some of its tests or give them to another agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Test &quot;%1&quot; is waiting: its target agent &quot;%2&quot; is not connected. It starts by itself when that agent connects; check that the agent is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Test &quot;%1&quot; runs again: its target agent &quot;%2&quot; is connected from %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Agent &quot;%1&quot; could not reach the console for so long that its spool filled up: it dropped its oldest %2 round(s) of results, the newest of them measured at %3. Give it a larger --spool-size if outages this long are expected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The disk that holds the console&apos;s database %1 is full: from now on the console stores no results and tells each agent so; the agents keep what they measure. Free space on that disk; storing starts again by itself. (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>There is space again on the disk that holds the console&apos;s database %1: results are stored again. For %2 s none were; the agents kept them and are sending them now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The console&apos;s data folder %1 can be read by other users of this computer (mode %2): they could read the measurements, the event log and the agents&apos; credential hashes. Make it private with: chmod 700 %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The console&apos;s database %1 can be read by other users of this computer (mode %2). Make it private with: chmod 600 %1*</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The enrollment token is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The enrollment token was revoked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The enrollment token has expired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The enrollment token has been used up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent this token was made to replace no longer exists; make a new token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The name &quot;%1&quot; belongs to an agent that is already enrolled (host %2). Start this agent with another --name, or, to move that agent to this host, make a token with &apos;streamswarm-console token create NAME --replace %1&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent credential is not valid; enroll the agent again with a new token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This agent was revoked in the console.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (by %2 on the command line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (by %2 in the console window)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Token &quot;%1&quot; created for %2 enrollment(s) until %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Token &quot;%1&quot; created to move agent &quot;%2&quot; to a new host, until %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Token &quot;%1&quot; revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent &quot;%1&quot; revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New credential asked for agent &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test &quot;%1&quot; added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Data is now kept: raw %1, per minute %2, per hour %3 (0: for ever)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Report &quot;%1&quot; scheduled %2, into %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scheduled report &quot;%1&quot; removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scheduled report &quot;%1&quot; written to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scheduled report &quot;%1&quot; could not be made: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alert &quot;%1&quot; added: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alert &quot;%1&quot; removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alert &quot;%1&quot; acknowledged, with the comment &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alert &quot;%1&quot; fired: %2, seen on %3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alert &quot;%1&quot; fired during the maintenance window &quot;%2&quot;; no notification was sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alert &quot;%1&quot; still fires after the maintenance window &quot;%2&quot; closed; its notifications go out now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alert &quot;%1&quot; is held: alert &quot;%2&quot; explains it (their agents&apos; paths share the hop %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alert &quot;%1&quot; is held while alert &quot;%2&quot;, which it depends on, fires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alert &quot;%1&quot; cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An alert notification by %1 could not be sent: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Maintenance window &quot;%1&quot; added, from %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Maintenance window &quot;%1&quot; removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Evidence report made for %1, from %2 to %3; SHA-256 of its data: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test &quot;%1&quot; stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test &quot;%1&quot; changed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test &quot;%1&quot; paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test &quot;%1&quot; resumed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test &quot;%1&quot; deleted with its data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test &quot;%1&quot; deleted; its data is kept as &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent &quot;%1&quot; renamed to &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent &quot;%1&quot; now has the tags: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificate of %1 expires in %2 day(s), on %3 (%4); renew it before then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificate of %1 expired on %2 (%3); renew it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wi-Fi %1 moved to another access point of network &quot;%2&quot;: from %3 to %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The agent could not save results to its spool for a while and dropped %1 round(s) and %2 event(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>One round&apos;s result was too large to send (over 1 MiB) and was dropped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Test &quot;%1&quot;: %2 round(s) from %3 on were not measured: the agent was held up for %4 ms. The first %5 are stored as not measured.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The agent did not shut down cleanly last time (killed, crashed or power lost). Results measured after %1, at most the last %2 ms before it stopped, were not saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>its last saved result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot run test &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::TestTypes</name>
    <message>
        <location filename="../shared/testtypes/bandwidth.cpp" line="-71"/>
        <source>Throughput to an iperf3 server or to another agent (TCP or UDP, with libiperf), or a speed test to a LibreSpeed server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>how it is measured: iperf3 (the target is any iperf3 server, host[:port]), agent (the target is another agent, agent:NAME, which serves the measurement while the console gives the two a turn) or http (a speed test: the target is a LibreSpeed server&apos;s URL, e.g. https://speed.example.net/backend/)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>iperf3: the server&apos;s port, when the target does not say it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>iperf3: tcp (as fast as the path allows) or udp (at the bit rate, reporting loss and jitter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>parallel connections (iperf3 -P); by default 1 for iperf3, 4 for http</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>http: download, upload, or both one after the other (by default both)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>how long it measures, in whole seconds (iperf3 -t)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a warm-up before measuring, sent but not counted, in whole seconds (iperf3 -O); by default 0s for iperf3, 2s for http</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>iperf3: on, the server sends and this agent receives (iperf3 -R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>iperf3: the rate each stream sends at (-b), e.g. 100M; by default unlimited for tcp, 1M for udp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>iperf3: the packets&apos; traffic class: EF, AF41 ... or 0 to 63</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>how long to wait for the server to answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Throughput</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>UDP datagrams lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Throughput, measured every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Throughput (Mbit/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/dns.cpp" line="-37"/>
        <source>Lookup time and answer of a DNS query, through the system&apos;s resolver or a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the record type to ask for; PTR when the target is an IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the DNS server to ask, such as 192.0.2.53 or [2001:db8::53]:5353; by default the system&apos;s resolvers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>how long to wait for the answer, every try included; by default what the interval leaves, at most 5s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ask over TCP from the start (otherwise UDP, and TCP only when the answer is truncated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ask the server to recurse (the RD flag); off to ask an authoritative server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Lookup time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../shared/testtypes/http.cpp" line="+6"/>
        <location filename="../shared/testtypes/tcp.cpp" line="+6"/>
        <location filename="../shared/testtypes/tls.cpp" line="+6"/>
        <source>Time (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DNS lookup time, measured every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/hardware.cpp" line="-77"/>
        <source>Temperatures, fans, power, memory errors and drive health of the agent&apos;s own host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>ask smartctl (smartmontools) about the drives&apos; health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>how long smartctl may take for all drives together; by default the interval, at most 10s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Temperature (°C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hardware temperatures, measured every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/http.cpp" line="-99"/>
        <source>Phase timings (DNS, connect, TLS, first byte, total), status and download of an HTTP or HTTPS URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the request&apos;s method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>requests per round, one after the other; the first opens a new connection, the others reuse it where the server allows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the final status that counts as success, e.g. 200 or 2xx; by default any 2xx or 3xx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a text the body must contain (case-sensitive)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the most of the (decoded) body to read; beyond it the round stops with a message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the longest a whole round may take; by default the interval, at most 30s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>redirects followed before the round fails; 0: none, a redirect is the answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>auto: HTTP/2 over TLS where the server offers it, else HTTP/1.1 (as curl); 1.1 or 2 to insist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a PEM file on the agent with the authorities to trust instead of the system&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>on: go on when the certificate is not valid (it is still checked and reported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+65"/>
        <source>DNS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wait</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTTP total time, measured every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/ping.cpp" line="-58"/>
        <source>Round-trip time and loss of ICMP echoes to a host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>echoes per round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>time between the echoes of one round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>how long to wait for the last reply; by default what the interval leaves, at most 1s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>payload bytes after the ICMP header, as ping -s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>IPv4 TTL or IPv6 hop limit; by default the system&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>traffic class: EF, AF41, CS1 ... or 0 to 63; not with tos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the whole TOS or traffic class byte; not with dscp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the address of this host to send from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the network interface to send through</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Median RTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Typical spread (±σ)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Min–max RTT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Packet loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Jitter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Round-trip time and packet loss, measured every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/qos.cpp" line="+25"/>
        <source>Delay, loss, jitter and DSCP handling per traffic class, both ways, to a STAMP reflector (RFC 8762)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the DSCP classes measured, separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>packets per class and round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>time between packets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../shared/testtypes/voice.cpp" line="-40"/>
        <source>how long to wait for the last answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../shared/testtypes/voice.cpp" line="+3"/>
        <source>the reflector&apos;s UDP port; for agent:NAME, by default the port that agent announced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Median RTT, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Min–max RTT, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Packet loss, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Class %2 to the reflector, measured every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/system.cpp" line="-200"/>
        <source>The agent&apos;s own host: CPU, memory, disks, network interfaces and the IP stack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>also report each core&apos;s CPU figures, not only the totals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>only these network interfaces, separated by commas (eth0,wlan0); by default all but loopback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>only these parts of the host, separated by commas: cpu, memory, processes, disks, filesystems, interfaces, network (the IP stack and TCP health); by default all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+192"/>
        <source>Memory used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load (1 minute)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU in use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CPU in use (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The agent&apos;s host, measured every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/tcp.cpp" line="-21"/>
        <source>Time to open a TCP connection to host:port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../shared/testtypes/tls.cpp" line="-42"/>
        <source>the port, when the target does not say it (host:port)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>how long to wait for the connection; by default the interval, at most 5s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Connect time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TCP connect time, measured every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/tls.cpp" line="-6"/>
        <source>TLS handshake time, protocol, cipher and the server&apos;s certificate and its expiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the server name to send and check the certificate against; by default the target&apos;s host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>application protocols to offer, comma-separated, or none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a PEM file of authorities to trust instead of the system&apos;s, on the agent&apos;s host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>warn once when the certificate expires in fewer days than this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>how long connect and handshake may take together; by default the interval, at most 10s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Handshake time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS handshake time, measured every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/traceroute.cpp" line="-36"/>
        <source>The path to a host hop by hop, with each hop&apos;s loss and round-trip time, as mtr shows it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>what the probes are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the longest path probed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>probes per hop and round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>how long each wave of 16 hops waits; by default what the interval leaves, at most 1s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>udp: the first destination port, one more per probe (default 33434); tcp: the port the SYNs go to (default 80)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>look up the hops&apos; names; never delays a round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>RTT to the destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loss to the destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The traced path&apos;s last hop, traced every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/voice.cpp" line="-20"/>
        <source>Call quality (MOS) both ways, from a simulated call to a STAMP reflector or another agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the codec whose packets are sent and rated: g711 (160 bytes every 20 ms), g729 (20 bytes), opus (80 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>how long the call lasts each round; by default the interval less the timeout, at most 60s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the packets&apos; traffic class: EF, AF41 ... or 0 to 63</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+48"/>
        <source>MOS, worse direction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Packets lost on the way there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call quality to the peer, measured every %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MOS (1 to 4.5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/wireless.cpp" line="-51"/>
        <source>This host&apos;s Wi-Fi link: network, access point, channel, signal, noise and bitrates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the Wi-Fi interface to read; by default the first one that is connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>signal readings per round, spread over the interval (at most one per 20ms of it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Signal (dBm)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Average signal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weakest to strongest reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wi-Fi signal, read every %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Validation</name>
    <message>
        <location filename="../shared/protocol/validation.cpp" line="+47"/>
        <source>The %1 is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The %1 is longer than %2 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The %1 &quot;%2&quot; may use only letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, and must start with a letter or digit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The target is empty; give a host name or an IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The target is longer than %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The target &quot;::&quot; means any address, not a host; give one host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The target &quot;255.255.255.255&quot; is the broadcast address, not a host; give one host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The target &quot;0.0.0.0&quot; means any address, not a host; give one host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The target &quot;%1&quot; is neither a host name nor an IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The target &quot;%1&quot; is not valid; write an IPv6 address with a port as [2001:db8::1]:443.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The target &quot;%1&quot; has no port; write it as host:port, e.g. www.example.com:443.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The port &quot;%1&quot; in the target is not valid; give a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The test type &quot;%1&quot; is not available in this version yet; available: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unknown test type &quot;%1&quot;; available: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The interval %1 is out of range; use %2 to %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The duration %1 is out of range; use %2 to %3, or --continuous.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+47"/>
        <location filename="../shared/testtypes/bandwidth.cpp" line="-148"/>
        <source>agent name after agent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The %1 target &quot;%2&quot; must be the IP address of a STAMP reflector, such as an agent started with --stamp-port, or agent:NAME to measure to the agent of that name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>test name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A test takes at most %1 parameters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A %1 test measures the agent&apos;s own host, so it takes no target; leave it out or write &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The target is empty; give a URL such as https://www.example.com/.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The URL is longer than %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The URL must not contain blanks or control characters; write a blank as %20.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The target &quot;%1&quot; is not a URL; give one that starts with http:// or https://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The scheme &quot;%1&quot; is not supported; the target takes http:// and https:// URLs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The URL &quot;%1&quot; is malformed: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The URL must not carry a user name or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The URL &quot;%1&quot; names no host.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The URL&apos;s host &quot;%1&quot; is neither a host name nor an IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The URL&apos;s port must be from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/bandwidth.cpp" line="-12"/>
        <source>The parameter %1 is for method=%2; this test&apos;s method is %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source> or method=</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A bandwidth test with method=agent measures to another agent: give the target as agent:NAME, not &quot;%1&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The target %1 is an agent; measuring to another agent needs method=agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The parameter %1=%2 is not whole seconds; the bandwidth test counts whole seconds (e.g. 10s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>A bandwidth test measuring %1 (after %2 of warm-up) needs an interval of at least %3 to connect, measure and exchange results (each direction in turn, for http); the interval is %4. Raise the interval or shorten duration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/dns.cpp" line="-189"/>
        <source>The parameter server=%1 is not a DNS server&apos;s address; give an IP address, optionally with a port: 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:5353.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The port in server=%1 is not valid; give a number from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The target %1 is an IP address: look up its name with type=PTR, or give a name to look up with type=%2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The target &quot;%1&quot; is not a DNS name; use labels of letters, digits, &apos;-&apos; and &apos;_&apos; separated by dots, such as www.example.com or _sip._udp.example.com.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+69"/>
        <source>A dns round waits up to its timeout %1 for the answer, longer than the interval %2; lower the timeout or raise the interval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/hardware.cpp" line="-112"/>
        <source>The smart-timeout %1 is longer than the interval %2; lower it or raise the interval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/http.cpp" line="-174"/>
        <source>The parameter expect-status=%1 is not valid; use a status such as 200, or a class such as 2xx.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+37"/>
        <source>A HEAD request has no body to find expect= in; use method=GET.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An http round may take up to its timeout %1, longer than the interval %2; lower timeout or raise the interval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/ping.cpp" line="-145"/>
        <source>Give either dscp or tos, not both.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The parameter source=%1 is not an IP address; give one of this host&apos;s addresses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The source address %1 and the target %2 are of different IP versions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>A ping round (%1 echoes %2 apart, then %3 to wait) takes %4, longer than the interval %5; lower count, spacing or timeout, or raise the interval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/qos.cpp" line="-162"/>
        <source>&quot;%1&quot; in classes= is not a DSCP class; use names like EF, AF41, CS1, BE or numbers 0-63.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The class %1 is listed twice in classes=.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Give 1 to %1 DSCP classes in classes=, e.g. classes=ef,af41,be.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>A qos round (%1 classes x %2 packets %3 apart, then %4 to wait) takes %5, longer than the interval %6; lower count, spacing or timeout, or raise the interval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/system.cpp" line="-249"/>
        <source>&quot;%1&quot; in only= is not a part of the host; use some of: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>only= names no part of the host; use some of: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; in interfaces= is not a network interface name (1 to 15 characters, no &apos;/&apos;, &apos;:&apos; or blank).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/testtype.cpp" line="+36"/>
        <location line="+2"/>
        <location line="+20"/>
        <location line="+2"/>
        <source>%1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-17"/>
        <source>on or off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>EF, AF11 to AF43, CS0 to CS7, BE or 0 to 63</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>an IP address of this host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>an interface name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>text of at most %1 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a file on the agent&apos;s host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>an IP address, optionally with a port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+76"/>
        <source>default %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>A %1 test has no parameter &quot;%2&quot;; it takes: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The parameter %1=%2 is not valid; use a whole number from %3 to %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+38"/>
        <location line="+37"/>
        <source>The parameter %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-72"/>
        <location line="+38"/>
        <location line="+37"/>
        <source>The parameter %1=%2 is out of range; use %3 to %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-54"/>
        <source>The parameter %1=%2 is not valid; use on or off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>The parameter %1=%2 is not valid; use EF, AF11 to AF43, CS0 to CS7, BE or a number from 0 to 63.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The parameter %1=%2 is not valid; use %3 or %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The parameter %1=%2 is not a network interface name (1 to 15 characters, no &apos;/&apos;, &apos;:&apos; or blank).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The parameter %1 must be 1 to %2 characters long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The parameter %1 contains a control character (a line break or tab, for example); give plain text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The parameter %1=%2 is not an absolute path; give the file&apos;s full path on the agent&apos;s host, starting with /.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The target says port %1 and the parameter port=%2; give the port once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The timeout %1 is longer than the interval %2; lower the timeout or raise the interval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/tls.cpp" line="-108"/>
        <source>The parameter alpn=%1 is not valid; give protocol names separated by commas, e.g. h2,http/1.1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Give at most %1 protocols in alpn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The parameter sni=%1 is not a host name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/traceroute.cpp" line="-67"/>
        <source>A traceroute round (up to %1 waves of %2 hops, each waiting %3) can take %4, longer than the interval %5; lower max-hops or timeout, or raise the interval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../shared/testtypes/voice.cpp" line="-107"/>
        <source>The codec &quot;%1&quot; is not one we can simulate; use one of: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>A voice call of %1 and %2 to wait for the last answers needs an interval of at least %3, and a call lasts at least %4; the interval is %5. Raise the interval (10s suits a call of 9.5s) or shorten duration or timeout.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../console/main.cpp" line="+87"/>
        <source>No display found, so the console runs without a window (as with --headless).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
