<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>StreamSwarm::Agent</name>
    <message>
        <location filename="../agent/probes/probefactory.cpp" line="+44"/>
        <source>This agent cannot run %1 tests.</source>
        <translation>Dieser Agent kann keine %1-Tests ausführen.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::AgentOptions</name>
    <message>
        <location filename="../agent/agentoptions.cpp" line="+30"/>
        <source>Cannot read the token file %1: %2</source>
        <translation>Die Token-Datei %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>StreamSwarm agent: runs the tests the console assigns and sends back what it measures.</source>
        <translation>StreamSwarm-Agent: führt die Tests aus, die die Konsole zuweist, und sendet die Messwerte zurück.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The console&apos;s address, wss://HOST:PORT (ws:// only with --insecure).</source>
        <translation>Die Adresse der Konsole, wss://HOST:PORT (ws:// nur mit --insecure).</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enrollment token from &apos;streamswarm-console token create&apos;.</source>
        <translation>Registrierungstoken aus &apos;streamswarm-console token create&apos;.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TOKEN</source>
        <translation>TOKEN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read the enrollment token from this file.</source>
        <translation>Das Registrierungstoken aus dieser Datei lesen.</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+8"/>
        <source>FILE</source>
        <translation>DATEI</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>This agent&apos;s name in the console (default: the host name).</source>
        <translation>Der Name dieses Agenten in der Konsole (Standard: der Hostname).</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>NAME</source>
        <translation>NAME</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder for the agent&apos;s credential and state.</source>
        <translation>Ordner für die Zugangsdaten und den Zustand des Agenten.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>DIR</source>
        <translation>ORDNER</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The console certificate&apos;s SHA-256 fingerprint.</source>
        <translation>Der SHA-256-Fingerabdruck des Konsolenzertifikats.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SHA256</source>
        <translation>SHA256</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read the settings from this file instead of %1 (name = value lines named as these options; the command line wins).</source>
        <translation>Die Einstellungen aus dieser Datei statt aus %1 lesen (Zeilen der Form Name = Wert, benannt wie diese Optionen; die Befehlszeile hat Vorrang).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Allow plain ws:// instead of wss:// (for labs only).</source>
        <translation>Unverschlüsseltes ws:// statt wss:// erlauben (nur für Testumgebungen).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disk space for results kept while the console is away (default 256MB). When it is full the oldest results are dropped, and the console is told how many.</source>
        <translation>Speicherplatz für Ergebnisse, die zurückgehalten werden, solange die Konsole nicht erreichbar ist (Standard 256MB). Ist er voll, werden die ältesten Ergebnisse verworfen, und die Konsole erfährt, wie viele.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SIZE</source>
        <translation>GRÖSSE</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test rounds sent per second when catching up after an outage (default 2000).</source>
        <translation>Testrunden pro Sekunde, die nach einem Ausfall beim Nachsenden übertragen werden (Standard 2000).</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Answer STAMP test packets (RFC 8762) on this UDP port, so other agents can measure the path to this host (862 is the standard port; below 1024 needs root). Off unless given.</source>
        <translation>STAMP-Testpakete (RFC 8762) auf diesem UDP-Port beantworten, damit andere Agenten den Pfad zu diesem Host messen können (862 ist der Standardport; unter 1024 sind Root-Rechte nötig). Ohne Angabe aus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PORT</source>
        <translation>PORT</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Switch on the network card&apos;s own packet stamping on these interfaces (comma-separated), so ping and traceroute are timed by the card. This is a host-wide setting of the card; the agent needs root or CAP_NET_ADMIN for it. Off unless given.</source>
        <translation>Die eigenen Paket-Zeitstempel der Netzwerkkarte auf diesen Schnittstellen einschalten (durch Kommas getrennt), sodass Ping und Traceroute von der Karte gemessen werden. Dies ist eine hostweite Einstellung der Karte; der Agent braucht dafür Root-Rechte oder CAP_NET_ADMIN. Ohne Angabe aus.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>IFACES</source>
        <translation>SCHNITTSTELLEN</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>--server is required, on the command line or as server = ... in %1.</source>
        <translation>--server ist erforderlich, auf der Befehlszeile oder als server = ... in %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>--server is required, e.g. --server wss://console.example.net:8765.</source>
        <translation>--server ist erforderlich, z. B. --server wss://console.example.net:8765.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>--server &quot;%1&quot; is not an address like wss://HOST:PORT.</source>
        <translation>--server &quot;%1&quot; ist keine Adresse der Form wss://HOST:PORT.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>--server %1 is plain ws://, which sends the agent&apos;s credentials unencrypted; use wss:// or add --insecure (for labs only).</source>
        <translation>--server %1 ist unverschlüsseltes ws://, das die Zugangsdaten des Agenten im Klartext sendet; verwenden Sie wss:// oder fügen Sie --insecure hinzu (nur für Testumgebungen).</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>agent name</source>
        <translation>Agentname</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>--fingerprint &quot;%1&quot; is not a SHA-256 fingerprint; copy it from &apos;streamswarm-console fingerprint&apos; (sha256:ab:cd:...).</source>
        <translation>--fingerprint &quot;%1&quot; ist kein SHA-256-Fingerabdruck; kopieren Sie ihn aus &apos;streamswarm-console fingerprint&apos; (sha256:ab:cd:...).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>--spool-size &quot;%1&quot; is not a size between 64KiB and 1TiB, e.g. 256MB or 2GB.</source>
        <translation>--spool-size &quot;%1&quot; ist keine Größe zwischen 64KiB und 1TiB, z. B. 256MB oder 2GB.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>--replay-rate &quot;%1&quot; must be a whole number of rounds a second, 1 to 1000000.</source>
        <translation>--replay-rate &quot;%1&quot; muss eine ganze Zahl von Runden pro Sekunde sein, 1 bis 1000000.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>--stamp-port &quot;%1&quot; is not a UDP port number (1 to 65535).</source>
        <translation>--stamp-port &quot;%1&quot; ist keine UDP-Portnummer (1 bis 65535).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>--hardware-timestamps: &quot;%1&quot; is not a network interface name.</source>
        <translation>--hardware-timestamps: &quot;%1&quot; ist kein Name einer Netzwerkschnittstelle.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 holds an enrollment token and other users can read it; make it readable by the agent only (chmod 600 %1).</source>
        <translation>%1 enthält ein Registrierungstoken und ist für andere Benutzer lesbar; machen Sie die Datei nur für den Agenten lesbar (chmod 600 %1).</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::AgentService</name>
    <message numerus="yes">
        <location filename="../agent/agentservice.cpp" line="+138"/>
        <source>The agent&apos;s spool had %n damaged record(s), left by a crash or power loss while writing; they were skipped.</source>
        <translation>
            <numerusform>Im Spool des Agenten war %n Eintrag beschädigt, hinterlassen durch einen Absturz oder Stromausfall beim Schreiben; er wurde übersprungen.</numerusform>
            <numerusform>Im Spool des Agenten waren %n Einträge beschädigt, hinterlassen durch einen Absturz oder Stromausfall beim Schreiben; sie wurden übersprungen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+52"/>
        <source>The agent&apos;s spool reached its limit of %1 while the console was unreachable: the oldest %n round(s) of results, measured from %2 to %3, were dropped.</source>
        <translation>
            <numerusform>Der Spool des Agenten hat sein Limit von %1 erreicht, während die Konsole nicht erreichbar war: Die ältesten Ergebnisse (%n Runde), gemessen von %2 bis %3, wurden verworfen.</numerusform>
            <numerusform>Der Spool des Agenten hat sein Limit von %1 erreicht, während die Konsole nicht erreichbar war: Die ältesten Ergebnisse (%n Runden), gemessen von %2 bis %3, wurden verworfen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::AresChannel</name>
    <message>
        <location filename="../agent/probes/dns/areschannel.cpp" line="+167"/>
        <source>Cannot set up the DNS resolver: %1.</source>
        <translation>Der DNS-Resolver kann nicht eingerichtet werden: %1.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Cannot ask the DNS server %1: %2.</source>
        <translation>Der DNS-Server %1 kann nicht abgefragt werden: %2.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::BandwidthProbe</name>
    <message>
        <location filename="../agent/probes/bandwidth/bandwidthprobe.cpp" line="+30"/>
        <source>The measurement did not finish within %1 (connecting, %2 of warm-up, %3 measuring and the results&apos; exchange), so it was stopped: the server stopped answering, or the link is too slow for it. Try a shorter duration or look at the path.</source>
        <translation>Die Messung wurde nicht innerhalb von %1 abgeschlossen (Verbindungsaufbau, %2 Aufwärmphase, %3 Messung und Austausch der Ergebnisse) und wurde daher abgebrochen: Der Server hat nicht mehr geantwortet, oder die Leitung ist dafür zu langsam. Versuchen Sie eine kürzere Dauer oder prüfen Sie den Pfad.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The console did not answer this round&apos;s request for a turn within %1, so the round was skipped.</source>
        <translation>Die Konsole hat die Anfrage dieser Runde nach einem Zeitfenster nicht innerhalb von %1 beantwortet, daher wurde die Runde übersprungen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Another bandwidth test on this agent was still running after the %1 this round could wait, so the round was skipped: two at once would each measure half the link. Give the tests longer intervals, or put fewer on one agent.</source>
        <translation>Ein anderer Bandbreitentest auf diesem Agenten lief nach der Wartezeit dieser Runde von %1 noch, daher wurde die Runde übersprungen: Zwei gleichzeitige Tests würden jeweils nur die halbe Leitung messen. Geben Sie den Tests längere Intervalle oder legen Sie weniger Tests auf einen Agenten.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>The measurement was still running when the next round began, so it was stopped.</source>
        <translation>Die Messung lief noch, als die nächste Runde begann, und wurde daher abgebrochen.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>The bandwidth helper %1 is not installed beside the agent; reinstall the agent package.</source>
        <translation>Das Bandbreiten-Hilfsprogramm %1 ist nicht neben dem Agenten installiert; installieren Sie das Agent-Paket neu.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The iperf3 report grew past %1 MB, so the measurement was stopped.</source>
        <translation>Der iperf3-Bericht wurde größer als %1 MB, daher wurde die Messung abgebrochen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The bandwidth helper %1 could not start: %2.</source>
        <translation>Das Bandbreiten-Hilfsprogramm %1 konnte nicht starten: %2.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The bandwidth helper ended without a report (%1).</source>
        <translation>Das Bandbreiten-Hilfsprogramm wurde ohne Bericht beendet (%1).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exit status %1</source>
        <translation>Exit-Status %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Speed test at %1: %2</source>
        <translation>Geschwindigkeitstest bei %1: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>iperf3 to agent %1 (%2 port %3): %4</source>
        <translation>iperf3 zu Agent %1 (%2 Port %3): %4</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>iperf3 to %1 port %2: %3</source>
        <translation>iperf3 zu %1 Port %2: %3</translation>
    </message>
    <message>
        <location filename="../agent/probes/bandwidth/iperfreport.cpp" line="+39"/>
        <source>The iperf3 library gave no readable report (%1).</source>
        <translation>Die iperf3-Bibliothek lieferte keinen lesbaren Bericht (%1).</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The iperf3 report has no result for the receiving end.</source>
        <translation>Der iperf3-Bericht enthält kein Ergebnis für die Empfangsseite.</translation>
    </message>
    <message>
        <location filename="../agent/probes/bandwidth/speedreport.cpp" line="+45"/>
        <source>The speed test gave no readable report (%1).</source>
        <translation>Der Geschwindigkeitstest lieferte keinen lesbaren Bericht (%1).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>download: %1</source>
        <translation>Download: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>upload: %1</source>
        <translation>Upload: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The speed test&apos;s report has no result.</source>
        <translation>Der Bericht des Geschwindigkeitstests enthält kein Ergebnis.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::CertificateText</name>
    <message>
        <location filename="../agent/probes/certificatecheck.cpp" line="+119"/>
        <source>%1 days</source>
        <translation>%1 Tagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 hours</source>
        <translation>%1 Stunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 minutes</source>
        <translation>%1 Minuten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a minute</source>
        <translation>einer Minute</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>the certificate expired %1 ago (on %2)</source>
        <translation>das Zertifikat ist vor %1 abgelaufen (am %2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the certificate has expired</source>
        <translation>das Zertifikat ist abgelaufen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the certificate is not valid yet; it starts in %1 (on %2)</source>
        <translation>das Zertifikat ist noch nicht gültig; es wird in %1 gültig (am %2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the certificate is not valid yet</source>
        <translation>das Zertifikat ist noch nicht gültig</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the certificate is for %1, not %2</source>
        <translation>das Zertifikat gilt für %1, nicht für %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>other names</source>
        <translation>andere Namen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the certificate is self-signed and not trusted</source>
        <translation>das Zertifikat ist selbstsigniert und nicht vertrauenswürdig</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the certificate&apos;s issuer (%1) is not trusted</source>
        <translation>der Aussteller des Zertifikats (%1) ist nicht vertrauenswürdig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the certificate has been revoked</source>
        <translation>das Zertifikat wurde widerrufen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the certificate was not accepted: %1</source>
        <translation>das Zertifikat wurde nicht akzeptiert: %1</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::ConnectText</name>
    <message>
        <location filename="../agent/probes/tcpconnector.cpp" line="+64"/>
        <source>Cannot make a TCP socket: %1.</source>
        <translation>Es kann kein TCP-Socket angelegt werden: %1.</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>%1 refused the connection (nothing listens there, or a firewall rejects it)</source>
        <translation>%1 hat die Verbindung abgelehnt (dort lauscht nichts, oder eine Firewall weist sie ab)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 did not answer the connection attempt</source>
        <translation>%1 hat auf den Verbindungsversuch nicht geantwortet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is unreachable (a router or the host itself said so, or no one answered on the local network)</source>
        <translation>%1 ist nicht erreichbar (ein Router oder der Host selbst hat das gemeldet, oder im lokalen Netz hat niemand geantwortet)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>there is no route to %1</source>
        <translation>es gibt keine Route zu %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a firewall on this host blocked the connection to %1</source>
        <translation>eine Firewall auf diesem Host hat die Verbindung zu %1 blockiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>this host has no address to connect to %1 from</source>
        <translation>dieser Host hat keine Adresse, von der aus er sich mit %1 verbinden kann</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 reset the connection</source>
        <translation>%1 hat die Verbindung zurückgesetzt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cannot connect to %1: %2</source>
        <translation>keine Verbindung zu %1 möglich: %2</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::ConnectingProbe</name>
    <message>
        <location filename="../agent/probes/connectingprobe.cpp" line="+20"/>
        <source>Cannot connect to %1: the name does not resolve to an address (%2).</source>
        <translation>Keine Verbindung zu %1 möglich: Der Name wird nicht in eine Adresse aufgelöst (%2).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot connect to %1: looking up the name took longer than %2.</source>
        <translation>Keine Verbindung zu %1 möglich: Die Namensauflösung dauerte länger als %2.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 port %2</source>
        <translation>%1 Port %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2) port %3</source>
        <translation>%1 (%2) Port %3</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>No answer from %1 within %2: the connection attempt was given up.</source>
        <translation>Keine Antwort von %1 innerhalb von %2: Der Verbindungsversuch wurde aufgegeben.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::ConsoleClient</name>
    <message>
        <location filename="../agent/connection/consoleclient.cpp" line="+113"/>
        <source>This agent is not enrolled yet: start it once with --token TOKEN (made with &apos;streamswarm-console token create NAME&apos;), --token-file FILE or STREAMSWARM_TOKEN.</source>
        <translation>Dieser Agent ist noch nicht registriert: Starten Sie ihn einmal mit --token TOKEN (erstellt mit &apos;streamswarm-console token create NAME&apos;), --token-file DATEI oder STREAMSWARM_TOKEN.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The token given is not an enrollment token: they look like sse_ followed by letters and digits. Copy it again, whole, from the output of &apos;streamswarm-console token create&apos;.</source>
        <translation>Das angegebene Token ist kein Registrierungstoken: Diese sehen aus wie sse_, gefolgt von Buchstaben und Ziffern. Kopieren Sie es erneut und vollständig aus der Ausgabe von &apos;streamswarm-console token create&apos;.</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>The console&apos;s certificate %1 does not match the fingerprint you gave (%2). Check it for a typo: &apos;streamswarm-console fingerprint&apos; on the console prints the right one.</source>
        <translation>Das Zertifikat der Konsole %1 passt nicht zum angegebenen Fingerabdruck (%2). Prüfen Sie ihn auf Tippfehler: &apos;streamswarm-console fingerprint&apos; auf der Konsole gibt den richtigen aus.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>THE CONSOLE&apos;S CERTIFICATE HAS CHANGED: this agent trusts %1 but was shown %2. Someone may be intercepting the connection. If the console&apos;s certificate was replaced on purpose, check &apos;streamswarm-console fingerprint&apos; there and start this agent with --fingerprint %2.</source>
        <translation>DAS ZERTIFIKAT DER KONSOLE HAT SICH GEÄNDERT: Dieser Agent vertraut %1, bekam aber %2 gezeigt. Möglicherweise fängt jemand die Verbindung ab. Wenn das Zertifikat der Konsole absichtlich ersetzt wurde, prüfen Sie dort &apos;streamswarm-console fingerprint&apos; und starten Sie diesen Agenten mit --fingerprint %2.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>The console refused to enroll this agent: the name &quot;%1&quot; belongs to an agent that is already enrolled (see the console&apos;s event log). Start this agent with another --name, or, to move that agent to this host on purpose, make a token on the console with &apos;streamswarm-console token create NAME --replace %1&apos; and start this agent with it.</source>
        <translation>Die Konsole hat die Registrierung dieses Agenten abgelehnt: Der Name &quot;%1&quot; gehört einem bereits registrierten Agenten (siehe Ereignisprotokoll der Konsole). Starten Sie diesen Agenten mit einem anderen --name, oder, um jenen Agenten absichtlich auf diesen Host umzuziehen, erstellen Sie auf der Konsole ein Token mit &apos;streamswarm-console token create NAME --replace %1&apos; und starten Sie diesen Agenten damit.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The console refused this agent: %1</source>
        <translation>Die Konsole hat diesen Agenten abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The console speaks TLS only: start the agent with --server wss://%1 instead of ws://.</source>
        <translation>Die Konsole spricht nur TLS: Starten Sie den Agenten mit --server wss://%1 statt ws://.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The server at %1 answered, but not as a StreamSwarm console (%2). Check the host and port in --server.</source>
        <translation>Der Server unter %1 hat geantwortet, aber nicht als StreamSwarm-Konsole (%2). Prüfen Sie Host und Port in --server.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot reach the console at %1: the connection was refused. Is the console running and listening on that port?</source>
        <translation>Die Konsole unter %1 ist nicht erreichbar: Die Verbindung wurde abgelehnt. Läuft die Konsole und lauscht sie auf diesem Port?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot reach the console: the host name %1 was not found.</source>
        <translation>Die Konsole ist nicht erreichbar: Der Hostname %1 wurde nicht gefunden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot reach the console at %1: it did not answer in time.</source>
        <translation>Die Konsole unter %1 ist nicht erreichbar: Sie hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The console at %1 did not complete a TLS handshake (%2). If it was started with --insecure it does not speak TLS: use ws:// and --insecure here.</source>
        <translation>Die Konsole unter %1 hat keinen TLS-Handshake abgeschlossen (%2). Wenn sie mit --insecure gestartet wurde, spricht sie kein TLS: Verwenden Sie hier ws:// und --insecure.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot reach the console at %1: %2</source>
        <translation>Die Konsole unter %1 ist nicht erreichbar: %2</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::CredentialStore</name>
    <message>
        <location filename="../agent/connection/credentialstore.cpp" line="+38"/>
        <location line="+42"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>%1 is damaged; delete it, or start the agent with --fingerprint.</source>
        <translation>%1 ist beschädigt; löschen Sie die Datei oder starten Sie den Agenten mit --fingerprint.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+6"/>
        <location line="+44"/>
        <location line="+9"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Cannot create the state folder %1; check its permissions or pick another with --state-dir.</source>
        <translation>Der Zustandsordner %1 kann nicht angelegt werden; prüfen Sie seine Berechtigungen oder wählen Sie mit --state-dir einen anderen.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 is damaged; delete it and enroll the agent again with a new token.</source>
        <translation>%1 ist beschädigt; löschen Sie die Datei und registrieren Sie den Agenten erneut mit einem neuen Token.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::CurlLibrary</name>
    <message>
        <location filename="../agent/probes/http/curllibrary.cpp" line="+47"/>
        <source>http tests need libcurl (the Debian package libcurl4), which could not be loaded: %1</source>
        <translation>http-Tests brauchen libcurl (das Debian-Paket libcurl4), das nicht geladen werden konnte: %1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>http tests need libcurl 7.85 or newer; the installed %1 has no %2</source>
        <translation>http-Tests brauchen libcurl 7.85 oder neuer; dem installierten %1 fehlt %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>http tests need libcurl 7.85 or newer; this system has %1</source>
        <translation>http-Tests brauchen libcurl 7.85 oder neuer; dieses System hat %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>http tests need libcurl built with OpenSSL (the Debian package libcurl4); this one uses %1</source>
        <translation>http-Tests brauchen ein mit OpenSSL gebautes libcurl (das Debian-Paket libcurl4); dieses verwendet %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no TLS library</source>
        <translation>keine TLS-Bibliothek</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>libcurl did not start: %1</source>
        <translation>libcurl konnte nicht starten: %1</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::DnsAnswer</name>
    <message>
        <location filename="../agent/probes/dns/dnsanswer.cpp" line="+64"/>
        <source>a name in it is broken (a bad label or compression pointer)</source>
        <translation>ein Name darin ist fehlerhaft (ungültiges Label oder ungültiger Kompressionszeiger)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>the message ends early</source>
        <translation>die Nachricht endet vorzeitig</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>the strings of a TXT record overrun its data</source>
        <translation>die Zeichenketten eines TXT-Eintrags reichen über dessen Daten hinaus</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>the data of a %1 record does not read</source>
        <translation>die Daten eines %1-Eintrags sind nicht lesbar</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>the message is shorter than a DNS header</source>
        <translation>die Nachricht ist kürzer als ein DNS-Header</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::DnsProbe</name>
    <message>
        <location filename="../agent/probes/dns/dnsprobe.cpp" line="+102"/>
        <source>the system&apos;s resolver</source>
        <translation>System-Resolver</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The DNS server %1 refused the query for %2: nothing answers DNS on that port.</source>
        <translation>Der DNS-Server %1 hat die Anfrage für %2 abgelehnt: Auf diesem Port antwortet kein DNS.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>sent once over UDP</source>
        <translation>einmal über UDP gesendet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>sent %1 times over UDP</source>
        <translation>%1-mal über UDP gesendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sent once over TCP</source>
        <translation>einmal über TCP gesendet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>sent %1 times over TCP</source>
        <translation>%1-mal über TCP gesendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the query could not be sent</source>
        <translation>die Anfrage konnte nicht gesendet werden</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>, then </source>
        <translation>, dann </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No answer from %1 for %2 within %3 (%4).</source>
        <translation>Keine Antwort von %1 für %2 innerhalb von %3 (%4).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The lookup of %1 through %2 failed: %3.</source>
        <translation>Die Auflösung von %1 über %2 ist fehlgeschlagen: %3.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The answer from %1 for %2 does not read as DNS: %3.</source>
        <translation>Die Antwort von %1 für %2 ist kein lesbares DNS: %3.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The name %1 does not exist (NXDOMAIN), answered by %2.</source>
        <translation>Der Name %1 existiert nicht (NXDOMAIN), Antwort von %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The DNS server %1 failed to resolve %2 (SERVFAIL).</source>
        <translation>Der DNS-Server %1 konnte %2 nicht auflösen (SERVFAIL).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The DNS server %1 refused to answer for %2 (REFUSED).</source>
        <translation>Der DNS-Server %1 hat die Antwort für %2 verweigert (REFUSED).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The DNS server %1 answered the query for %2 with %3.</source>
        <translation>Der DNS-Server %1 hat die Anfrage für %2 mit %3 beantwortet.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::Hardware</name>
    <message>
        <location filename="../agent/platform/linux/hardware/edacreader.cpp" line="+35"/>
        <source>this host reports no memory error counts (no ECC memory, or no EDAC driver loaded)</source>
        <translation>dieser Host meldet keine Speicherfehlerzähler (kein ECC-Speicher oder kein EDAC-Treiber geladen)</translation>
    </message>
    <message>
        <location filename="../agent/platform/linux/hardware/hwmonreader.cpp" line="+114"/>
        <source>this host has no hwmon sensors</source>
        <translation>dieser Host hat keine hwmon-Sensoren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the hwmon sensors report no readable temperature</source>
        <translation>die hwmon-Sensoren melden keine lesbare Temperatur</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no fan speed sensor on this host</source>
        <translation>kein Lüfterdrehzahlsensor auf diesem Host</translation>
    </message>
    <message>
        <location filename="../agent/platform/linux/hardware/powersupplyreader.cpp" line="+83"/>
        <source>this host has no battery</source>
        <translation>dieser Host hat keinen Akku</translation>
    </message>
    <message>
        <location filename="../agent/platform/linux/hardware/raplreader.cpp" line="+56"/>
        <source>the CPU&apos;s energy counters are readable by root only, and the agent does not run as root</source>
        <translation>die Energiezähler der CPU sind nur für root lesbar, und der Agent läuft nicht als root</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>this host&apos;s CPU reports no energy counters (RAPL)</source>
        <translation>die CPU dieses Hosts meldet keine Energiezähler (RAPL)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the CPU&apos;s energy counters cannot be read</source>
        <translation>die Energiezähler der CPU können nicht gelesen werden</translation>
    </message>
    <message>
        <location filename="../agent/probes/hardware/hardwareprobe.cpp" line="+37"/>
        <source>the next round began before smartctl answered</source>
        <translation>die nächste Runde begann, bevor smartctl geantwortet hat</translation>
    </message>
    <message>
        <location filename="../agent/probes/hardware/hardwareround.cpp" line="+108"/>
        <source>smartctl found no drive that reports SMART</source>
        <translation>smartctl hat kein Laufwerk gefunden, das SMART-Werte meldet</translation>
    </message>
    <message>
        <location filename="../agent/probes/hardware/smartctlreport.cpp" line="+53"/>
        <source>smartctl gave no answer</source>
        <translation>smartctl hat keine Antwort geliefert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>smartctl&apos;s answer could not be read (is it older than version 7.0, which added --json?)</source>
        <translation>die Antwort von smartctl konnte nicht gelesen werden (ist es älter als Version 7.0, mit der --json hinzukam?)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>smartctl: %1</source>
        <translation>smartctl: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>smartctl could not open the drive</source>
        <translation>smartctl konnte das Laufwerk nicht öffnen</translation>
    </message>
    <message>
        <location filename="../agent/probes/hardware/smartctlrunner.cpp" line="+83"/>
        <source>smartctl wrote more than %1 MiB</source>
        <translation>smartctl hat mehr als %1 MiB ausgegeben</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>smartctl could not be run (is smartmontools installed?)</source>
        <translation>smartctl konnte nicht ausgeführt werden (ist smartmontools installiert?)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>smartctl did not answer within %1 and was stopped</source>
        <translation>smartctl hat nicht innerhalb von %1 geantwortet und wurde beendet</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>not asked: the time for smartctl (%1) ran out on an earlier drive</source>
        <translation>nicht abgefragt: Die Zeit für smartctl (%1) war bei einem früheren Laufwerk abgelaufen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>smartctl did not list the drives within %1 and was stopped</source>
        <translation>smartctl hat die Laufwerke nicht innerhalb von %1 aufgelistet und wurde beendet</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::HardwareStamping</name>
    <message>
        <location filename="../agent/platform/linux/hardwarestamping.cpp" line="+61"/>
        <source>There is no network interface called &quot;%1&quot; on this host.</source>
        <translation>Auf diesem Host gibt es keine Netzwerkschnittstelle namens &quot;%1&quot;.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot ask %1 about hardware stamps: %2.</source>
        <translation>%1 kann nicht nach Hardware-Zeitstempeln gefragt werden: %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ping and traceroute use the kernel&apos;s stamps there, which are good to a few microseconds.</source>
        <translation>Ping und Traceroute verwenden dort die Zeitstempel des Kernels, die auf wenige Mikrosekunden genau sind.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 cannot stamp packets in hardware (its driver offers software stamps only). %2</source>
        <translation>%1 kann Pakete nicht in Hardware mit Zeitstempeln versehen (der Treiber bietet nur Software-Zeitstempel). %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 stamps only PTP packets in hardware, not ping or traceroute probes. %2</source>
        <translation>%1 versieht in Hardware nur PTP-Pakete mit Zeitstempeln, nicht die Testpakete von Ping oder Traceroute. %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 already stamps every packet in hardware; ping and traceroute use those stamps.</source>
        <translation>%1 versieht bereits jedes Paket in Hardware mit Zeitstempeln; Ping und Traceroute verwenden diese Zeitstempel.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Switching on hardware stamps on %1 needs root or CAP_NET_ADMIN. %2</source>
        <translation>Das Einschalten von Hardware-Zeitstempeln auf %1 erfordert Root-Rechte oder CAP_NET_ADMIN. %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 refused to switch on hardware stamps: %2. %3</source>
        <translation>%1 hat das Einschalten von Hardware-Zeitstempeln abgelehnt: %2. %3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hardware stamps are now on for every packet on %1; ping and traceroute use them.</source>
        <translation>Hardware-Zeitstempel sind jetzt für jedes Paket auf %1 eingeschaltet; Ping und Traceroute verwenden sie.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::HttpProbe</name>
    <message>
        <location filename="../agent/probes/http/httpprobe.cpp" line="+67"/>
        <source>the round was still running when the next one was due</source>
        <translation>die Runde lief noch, als die nächste fällig war</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>the round&apos;s %1 were over before request %2 of %3</source>
        <translation>die Zeit der Runde (%1) war vor Anfrage %2 von %3 abgelaufen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>libcurl did not take the request</source>
        <translation>libcurl hat die Anfrage nicht angenommen</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>request %1 of %2: %3</source>
        <translation>Anfrage %1 von %2: %3</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the round did not finish within %1</source>
        <translation>die Runde wurde nicht innerhalb von %1 abgeschlossen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 %2: %3.</source>
        <translation>%1 %2: %3.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::HttpText</name>
    <message>
        <location filename="../agent/probes/http/httpfailure.cpp" line="+28"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 port %2</source>
        <translation>%1 Port %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a 2xx or 3xx status</source>
        <translation>ein Status 2xx oder 3xx</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1xx</source>
        <translation>%1xx</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 refused the connection</source>
        <translation>%1 hat die Verbindung abgelehnt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 cannot be reached (no route)</source>
        <translation>%1 ist nicht erreichbar (keine Route)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot connect to %1 (%2)</source>
        <translation>keine Verbindung zu %1 möglich (%2)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the server stopped sending after %1 (no data for %2)</source>
        <translation>der Server hat nach %1 aufgehört zu senden (seit %2 keine Daten)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>looking up %1 took longer than %2</source>
        <translation>die Namensauflösung von %1 dauerte länger als %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>could not connect to %1 within %2</source>
        <translation>innerhalb von %2 konnte keine Verbindung zu %1 hergestellt werden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server did not answer within %1</source>
        <translation>der Server hat nicht innerhalb von %1 geantwortet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server stopped sending after %1 (no data for %2; the timeout is %3)</source>
        <translation>der Server hat nach %1 aufgehört zu senden (seit %2 keine Daten; das Zeitlimit beträgt %3)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the answer did not complete within %1</source>
        <translation>die Antwort war nicht innerhalb von %1 vollständig</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 is not an http or https URL</source>
        <translation>%1 ist keine http- oder https-URL</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the URL is malformed (%1)</source>
        <translation>die URL ist fehlerhaft (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the name %1 does not resolve</source>
        <translation>der Name %1 lässt sich nicht auflösen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the server&apos;s certificate was not accepted (%1)</source>
        <translation>das Zertifikat des Servers wurde nicht akzeptiert (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the TLS handshake with %1 failed (%2)</source>
        <translation>der TLS-Handshake mit %1 ist fehlgeschlagen (%2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>more than 1 redirect; the last went to %1</source>
        <translation>mehr als 1 Weiterleitung; die letzte führte zu %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>more than %1 redirects; the last went to %2</source>
        <translation>mehr als %1 Weiterleitungen; die letzte führte zu %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the body passed the %1 limit</source>
        <translation>der Antwortinhalt hat das Limit von %1 überschritten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the server closed the connection without answering</source>
        <translation>der Server hat die Verbindung ohne Antwort geschlossen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server closed the connection after %1 of the body (%2)</source>
        <translation>der Server hat die Verbindung nach %1 des Antwortinhalts geschlossen (%2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the connection broke (%1)</source>
        <translation>die Verbindung ist abgebrochen (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server&apos;s answer is not HTTP (%1)</source>
        <translation>die Antwort des Servers ist kein HTTP (%1)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>the server answered %1; expected %2</source>
        <translation>der Server antwortete mit %1; erwartet war %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the body does not contain &quot;%1&quot;</source>
        <translation>der Antwortinhalt enthält &quot;%1&quot; nicht</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::IcmpErrors</name>
    <message>
        <location filename="../agent/probes/ping/pingstatistics.cpp" line="+32"/>
        <location line="+32"/>
        <source>Network unreachable</source>
        <translation>Netzwerk nicht erreichbar</translation>
    </message>
    <message>
        <location line="-30"/>
        <location line="+48"/>
        <source>Communication administratively prohibited</source>
        <translation>Kommunikation administrativ untersagt</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Beyond the scope of the source address</source>
        <translation>Außerhalb des Geltungsbereichs der Quelladresse</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+30"/>
        <source>Host unreachable</source>
        <translation>Host nicht erreichbar</translation>
    </message>
    <message>
        <location line="-28"/>
        <location line="+32"/>
        <source>Port unreachable</source>
        <translation>Port nicht erreichbar</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>Source address failed ingress/egress policy</source>
        <translation>Quelladresse verstößt gegen Ingress-/Egress-Richtlinie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reject route to destination</source>
        <translation>Route zum Ziel abgewiesen</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+38"/>
        <source>Destination unreachable (code %1)</source>
        <translation>Ziel nicht erreichbar (Code %1)</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Packet too big</source>
        <translation>Paket zu groß</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hop limit exceeded in transit</source>
        <translation>Hop-Limit während der Übertragung überschritten</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+40"/>
        <source>Fragment reassembly time exceeded</source>
        <translation>Zeit für das Zusammensetzen der Fragmente überschritten</translation>
    </message>
    <message>
        <location line="-38"/>
        <location line="+40"/>
        <source>Parameter problem (code %1)</source>
        <translation>Parameterproblem (Code %1)</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>ICMPv6 error type %1 code %2</source>
        <translation>ICMPv6-Fehler Typ %1 Code %2</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Protocol unreachable</source>
        <translation>Protokoll nicht erreichbar</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Fragmentation needed</source>
        <translation>Fragmentierung erforderlich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source route failed</source>
        <translation>Source-Route fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Network administratively prohibited</source>
        <translation>Netzwerk administrativ untersagt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Host administratively prohibited</source>
        <translation>Host administrativ untersagt</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Source quench</source>
        <translation>Source Quench (Quelldrosselung)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redirect</source>
        <translation>Umleitung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TTL exceeded in transit</source>
        <translation>TTL während der Übertragung überschritten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ICMP error type %1 code %2</source>
        <translation>ICMP-Fehler Typ %1 Code %2</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::IcmpSocket</name>
    <message>
        <location filename="../agent/probes/ping/icmpchannel.cpp" line="+131"/>
        <source>This host cannot open an %1 ICMP socket: %2.</source>
        <translation>Dieser Host kann keinen %1-ICMP-Socket öffnen: %2.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>This host has no network interface named %1.</source>
        <translation>Dieser Host hat keine Netzwerkschnittstelle namens %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sending through a chosen interface needs CAP_NET_RAW or root.</source>
        <translation>Das Senden über eine bestimmte Schnittstelle erfordert CAP_NET_RAW oder Root-Rechte.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot send through the interface %1: %2.</source>
        <translation>Über die Schnittstelle %1 kann nicht gesendet werden: %2.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The source address %1 and the target are of different IP versions.</source>
        <translation>Die Quelladresse %1 und das Ziel haben unterschiedliche IP-Versionen.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The source address %1 is not an address of this host.</source>
        <translation>Die Quelladresse %1 ist keine Adresse dieses Hosts.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot send from %1: %2.</source>
        <translation>Von %1 aus kann nicht gesendet werden: %2.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot set the TTL to %1: %2.</source>
        <translation>Die TTL kann nicht auf %1 gesetzt werden: %2.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot mark the echoes with TOS %1: %2.</source>
        <translation>Die Echo-Anfragen können nicht mit TOS %1 markiert werden: %2.</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>More than %1 echoes are waiting for replies on this host; ping fewer targets at once or with shorter timeouts.</source>
        <translation>Auf diesem Host warten mehr als %1 Echo-Anfragen auf Antworten; pingen Sie weniger Ziele gleichzeitig oder mit kürzeren Zeitlimits.</translation>
    </message>
    <message>
        <location filename="../agent/probes/ping/icmpsocket.cpp" line="+27"/>
        <source>Ping needs permission to open ICMP sockets: run the agent as root, give it CAP_NET_RAW (setcap cap_net_raw+ep streamswarm-agent), or allow unprivileged ping with sysctl net.ipv4.ping_group_range.</source>
        <translation>Ping braucht die Berechtigung, ICMP-Sockets zu öffnen: Führen Sie den Agenten als root aus, geben Sie ihm CAP_NET_RAW (setcap cap_net_raw+ep streamswarm-agent) oder erlauben Sie unprivilegiertes Ping mit sysctl net.ipv4.ping_group_range.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The ICMP socket is not open.</source>
        <translation>Der ICMP-Socket ist nicht geöffnet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The address %1 does not match the socket&apos;s IP version.</source>
        <translation>Die Adresse %1 passt nicht zur IP-Version des Sockets.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The payload size must be from 0 to %1 bytes.</source>
        <translation>Die Nutzlastgröße muss zwischen 0 und %1 Bytes liegen.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::LinuxSystemReader</name>
    <message>
        <location filename="../agent/platform/linux/system/linuxsystemreader.cpp" line="+96"/>
        <source>cannot read /%1: %2</source>
        <translation>/%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>/%1 holds nothing readable</source>
        <translation>/%1 enthält nichts Lesbares</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>CPU use</source>
        <translation>CPU-Auslastung</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>load average</source>
        <translation>Durchschnittslast</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>uptime</source>
        <translation>Betriebszeit</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>IP stack counters</source>
        <translation>IP-Stack-Zähler</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>sockets</source>
        <translation>Sockets</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+5"/>
        <source>network interfaces</source>
        <translation>Netzwerkschnittstellen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only the first %1 of %2 interfaces are read</source>
        <translation>nur die ersten %1 von %2 Schnittstellen werden gelesen</translation>
    </message>
    <message>
        <location line="+38"/>
        <location line="+16"/>
        <source>disk activity</source>
        <translation>Laufwerksaktivität</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>only the first %1 of %2 disks are read</source>
        <translation>nur die ersten %1 von %2 Laufwerken werden gelesen</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+12"/>
        <source>disk space</source>
        <translation>Speicherplatz</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>only the first %1 filesystems are read</source>
        <translation>nur die ersten %1 Dateisysteme werden gelesen</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::PeerTurns</name>
    <message>
        <location filename="../agent/bulk/peerturns.cpp" line="+23"/>
        <source>This agent is not connected to the console, which arranges the turns of bandwidth tests between agents, so the round was skipped.</source>
        <translation>Dieser Agent ist nicht mit der Konsole verbunden, die die Zeitfenster für Bandbreitentests zwischen Agenten vergibt, daher wurde die Runde übersprungen.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>The connection to the console was lost while the round waited for its turn, so it was skipped.</source>
        <translation>Die Verbindung zur Konsole ging verloren, während die Runde auf ihr Zeitfenster wartete, daher wurde sie übersprungen.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::PingProbe</name>
    <message>
        <location filename="../agent/probes/ping/pingprobe.cpp" line="+61"/>
        <source>Cannot ping %1: the name does not resolve to an address (%2).</source>
        <translation>%1 kann nicht angepingt werden: Der Name wird nicht in eine Adresse aufgelöst (%2).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot ping %1: looking up the name took longer than %2.</source>
        <translation>%1 kann nicht angepingt werden: Die Namensauflösung dauerte länger als %2.</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+39"/>
        <source>Cannot ping %1. %2</source>
        <translation>%1 kann nicht angepingt werden. %2</translation>
    </message>
    <message>
        <location line="+29"/>
        <source> (reported by %1)</source>
        <translation> (gemeldet von %1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ping %1: %2%3.</source>
        <translation>Ping %1: %2%3.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::Platform</name>
    <message>
        <location filename="../agent/platform/linux/packetio.cpp" line="+245"/>
        <source>The network is unreachable from this host (no route).</source>
        <translation>Das Netzwerk ist von diesem Host aus nicht erreichbar (keine Route).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The host is unreachable.</source>
        <translation>Der Host ist nicht erreichbar.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The system refused to send to this address; it may be a broadcast address.</source>
        <translation>Das System hat das Senden an diese Adresse verweigert; möglicherweise ist es eine Broadcast-Adresse.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A firewall rule on this host blocked the probe.</source>
        <translation>Eine Firewall-Regel auf diesem Host hat das Testpaket blockiert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The probe is too large for the path; lower the payload size.</source>
        <translation>Das Testpaket ist für den Pfad zu groß; verringern Sie die Nutzlastgröße.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This host has no address or free local port to send from to this destination.</source>
        <translation>Dieser Host hat keine Adresse oder keinen freien lokalen Port, um an dieses Ziel zu senden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The system&apos;s send queue is full.</source>
        <translation>Die Sendewarteschlange des Systems ist voll.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The agent has too many open files to open another probe socket.</source>
        <translation>Der Agent hat zu viele offene Dateien, um einen weiteren Test-Socket zu öffnen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sending the probe failed: %1.</source>
        <translation>Das Senden des Testpakets ist fehlgeschlagen: %1.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::Scheduler</name>
    <message>
        <location filename="../agent/scheduler/scheduler.cpp" line="+154"/>
        <source>Not measured: the agent was too busy to start this round on time.</source>
        <translation>Nicht gemessen: Der Agent war zu ausgelastet, um diese Runde rechtzeitig zu starten.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::Spool</name>
    <message>
        <location filename="../agent/connection/spool.cpp" line="+189"/>
        <source>Cannot create the spool folder %1.</source>
        <translation>Der Spool-Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Cannot open the spool file %1: %2</source>
        <translation>Die Spool-Datei %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Cannot repair the spool file %1: %2</source>
        <translation>Die Spool-Datei %1 kann nicht repariert werden: %2</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Cannot create the spool file %1: %2</source>
        <translation>Die Spool-Datei %1 kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>A batch of %1 round(s) is %2 bytes, more than one message may carry.</source>
        <translation>Ein Stapel aus %1 Runde(n) ist %2 Bytes groß, mehr als eine Nachricht aufnehmen kann.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Cannot write to the spool file %1: %2</source>
        <translation>In die Spool-Datei %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+151"/>
        <source>Cannot read the spool file %1: %2</source>
        <translation>Die Spool-Datei %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The spool file %1 is damaged at byte %2; the damaged batch is skipped.</source>
        <translation>Die Spool-Datei %1 ist bei Byte %2 beschädigt; der beschädigte Stapel wird übersprungen.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Spooled batch %1 cannot be read back (%2); it is skipped.</source>
        <translation>Der gespoolte Stapel %1 kann nicht zurückgelesen werden (%2); er wird übersprungen.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::StampReflector</name>
    <message>
        <location filename="../agent/stamp/stampreflector.cpp" line="+78"/>
        <source>Cannot open a UDP socket for STAMP: %1.</source>
        <translation>Für STAMP kann kein UDP-Socket geöffnet werden: %1.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Cannot listen for STAMP on UDP port %1: ports below 1024 need root or CAP_NET_BIND_SERVICE; choose a port above 1023 with --stamp-port.</source>
        <translation>STAMP kann nicht auf UDP-Port %1 lauschen: Ports unter 1024 erfordern Root-Rechte oder CAP_NET_BIND_SERVICE; wählen Sie mit --stamp-port einen Port über 1023.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot listen for STAMP on UDP port %1: %2.</source>
        <translation>STAMP kann nicht auf UDP-Port %1 lauschen: %2.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::StampSession</name>
    <message>
        <location filename="../agent/stamp/stampsession.cpp" line="+80"/>
        <source>The target &quot;%1&quot; is not an IP address; it must be a STAMP reflector&apos;s address (the console puts in the address of an agent named as agent:NAME).</source>
        <translation>Das Ziel &quot;%1&quot; ist keine IP-Adresse; es muss die Adresse eines STAMP-Reflektors sein (die Konsole setzt die Adresse eines Agenten ein, der als agent:NAME angegeben ist).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot open a UDP socket: %1.</source>
        <translation>Es kann kein UDP-Socket geöffnet werden: %1.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cannot reach %1: %2.</source>
        <translation>%1 ist nicht erreichbar: %2.</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Cannot send to %1: %2</source>
        <translation>An %1 kann nicht gesendet werden: %2</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>No answer from a STAMP reflector at %1 port %2 in this round.</source>
        <translation>Keine Antwort von einem STAMP-Reflektor unter %1 Port %2 in dieser Runde.</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>this agent&apos;s clock is not synchronised (NTP or PTP)</source>
        <translation>die Uhr dieses Agenten ist nicht synchronisiert (NTP oder PTP)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the reflector&apos;s clock is not synchronised (NTP or PTP)</source>
        <translation>die Uhr des Reflektors ist nicht synchronisiert (NTP oder PTP)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the two clocks may be off by up to %1 ms together, more than the one-way delays</source>
        <translation>die beiden Uhren können zusammen um bis zu %1 ms abweichen, mehr als die Einweg-Verzögerungen</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::SystemProbe</name>
    <message>
        <location filename="../agent/probes/system/systemprobe.cpp" line="+64"/>
        <source>Nothing about this host could be read.</source>
        <translation>Über diesen Host konnte nichts gelesen werden.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TargetResolver</name>
    <message>
        <location filename="../agent/probes/targetresolver.cpp" line="+89"/>
        <source>no addresses</source>
        <translation>keine Adressen</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TlsHandshake</name>
    <message>
        <location filename="../agent/probes/tls/tlshandshake.cpp" line="+64"/>
        <source>Cannot set up a TLS session (OpenSSL: %1).</source>
        <translation>Es kann keine TLS-Sitzung eingerichtet werden (OpenSSL: %1).</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>the server closed the connection during the TLS handshake</source>
        <translation>der Server hat die Verbindung während des TLS-Handshakes geschlossen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the server closed the connection during the TLS handshake (is it a TLS port?)</source>
        <translation>der Server hat die Verbindung während des TLS-Handshakes geschlossen (ist es ein TLS-Port?)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+10"/>
        <source>the TLS handshake failed: %1</source>
        <translation>der TLS-Handshake ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>the server did not answer in TLS (is it a TLS port?)</source>
        <translation>der Server hat nicht mit TLS geantwortet (ist es ein TLS-Port?)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown reason</source>
        <translation>unbekannter Grund</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TlsProbe</name>
    <message>
        <location filename="../agent/probes/tls/tlsprobe.cpp" line="+37"/>
        <source>OpenSSL cannot make a TLS client.</source>
        <translation>OpenSSL kann keinen TLS-Client erstellen.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Cannot read this host&apos;s trusted certificate authorities.</source>
        <translation>Die vertrauenswürdigen Zertifizierungsstellen dieses Hosts können nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot read the CA file %1 on this agent&apos;s host: it is missing, unreadable or not PEM.</source>
        <translation>Die CA-Datei %1 auf dem Host dieses Agenten kann nicht gelesen werden: Sie fehlt, ist nicht lesbar oder nicht im PEM-Format.</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>the server sent no certificate</source>
        <translation>der Server hat kein Zertifikat gesendet</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The TLS handshake with %1 did not finish within %2: the server stopped answering.</source>
        <translation>Der TLS-Handshake mit %1 wurde nicht innerhalb von %2 abgeschlossen: Der Server hat nicht mehr geantwortet.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TracerouteProbe</name>
    <message>
        <location filename="../agent/probes/traceroute/tracerouteprobe.cpp" line="+90"/>
        <source>Cannot trace the route to %1: the name does not resolve to an address (%2).</source>
        <translation>Die Route zu %1 kann nicht verfolgt werden: Der Name wird nicht in eine Adresse aufgelöst (%2).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot trace the route to %1: looking up the name took longer than %2.</source>
        <translation>Die Route zu %1 kann nicht verfolgt werden: Die Namensauflösung dauerte länger als %2.</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+27"/>
        <source>Cannot trace the route to %1. %2</source>
        <translation>Die Route zu %1 kann nicht verfolgt werden. %2</translation>
    </message>
    <message>
        <location line="+232"/>
        <source>The route to %1 changed from [%2] to [%3].</source>
        <translation>Die Route zu %1 hat sich von [%2] zu [%3] geändert.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TracerouteSocket</name>
    <message>
        <location filename="../agent/probes/traceroute/traceroutesocket.cpp" line="+92"/>
        <source>ICMP traceroute needs permission to open ICMP sockets: run the agent as root, give it CAP_NET_RAW, allow unprivileged ping with sysctl net.ipv4.ping_group_range, or use protocol=udp.</source>
        <translation>ICMP-Traceroute braucht die Berechtigung, ICMP-Sockets zu öffnen: Führen Sie den Agenten als root aus, geben Sie ihm CAP_NET_RAW, erlauben Sie unprivilegiertes Ping mit sysctl net.ipv4.ping_group_range, oder verwenden Sie protocol=udp.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This host cannot open an %1 traceroute socket: %2.</source>
        <translation>Dieser Host kann keinen %1-Traceroute-Socket öffnen: %2.</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>The traceroute socket is not open.</source>
        <translation>Der Traceroute-Socket ist nicht geöffnet.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The address %1 does not match the socket&apos;s IP version.</source>
        <translation>Die Adresse %1 passt nicht zur IP-Version des Sockets.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot set the TTL: %1.</source>
        <translation>Die TTL kann nicht gesetzt werden: %1.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TracerouteTcpProber</name>
    <message>
        <location filename="../agent/probes/traceroute/traceroutetcpprober.cpp" line="+86"/>
        <source>This host cannot watch TCP traceroute sockets: %1.</source>
        <translation>Dieser Host kann TCP-Traceroute-Sockets nicht überwachen: %1.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Cannot set the TTL: %1.</source>
        <translation>Die TTL kann nicht gesetzt werden: %1.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The traceroute socket is not open.</source>
        <translation>Der Traceroute-Socket ist nicht geöffnet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+23"/>
        <source>The address %1 does not match the socket&apos;s IP version.</source>
        <translation>Die Adresse %1 passt nicht zur IP-Version des Sockets.</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Too many TCP probes are waiting for a free socket.</source>
        <translation>Zu viele TCP-Testpakete warten auf einen freien Socket.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::TurnServer</name>
    <message>
        <location filename="../agent/bulk/turnserver.cpp" line="+32"/>
        <source>its own bandwidth test was still running after the %1 the turn could wait.</source>
        <translation>sein eigener Bandbreitentest lief nach der Wartezeit von %1 für das Zeitfenster noch.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>its iperf3 server did not start listening in time.</source>
        <translation>sein iperf3-Server hat nicht rechtzeitig begonnen zu lauschen.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>the bandwidth helper %1 is not installed beside it; reinstall the agent package.</source>
        <translation>das Bandbreiten-Hilfsprogramm %1 ist nicht neben ihm installiert; installieren Sie das Agent-Paket neu.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>its iperf3 server ended before it listened (%1).</source>
        <translation>sein iperf3-Server wurde beendet, bevor er lauschte (%1).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exit status %1</source>
        <translation>Exit-Status %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>its bandwidth helper %1 could not start: %2.</source>
        <translation>sein Bandbreiten-Hilfsprogramm %1 konnte nicht starten: %2.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Agent::WirelessText</name>
    <message>
        <location filename="../agent/platform/linux/wireless/linuxwirelessreader.cpp" line="+48"/>
        <source>Wi-Fi information could not be read: %1.</source>
        <translation>WLAN-Informationen konnten nicht gelesen werden: %1.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Wi-Fi information is not available: the agent may not read it (permission denied).</source>
        <translation>WLAN-Informationen sind nicht verfügbar: Der Agent darf sie nicht lesen (Zugriff verweigert).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wi-Fi is not available: this host has no Wi-Fi interface.</source>
        <translation>WLAN ist nicht verfügbar: Dieser Host hat keine WLAN-Schnittstelle.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>There is no Wi-Fi interface named %1 on this host (it has: %2).</source>
        <translation>Auf diesem Host gibt es keine WLAN-Schnittstelle namens %1 (vorhanden: %2).</translation>
    </message>
    <message>
        <location filename="../agent/platform/linux/wireless/nl80211socket.cpp" line="+74"/>
        <source>Wi-Fi information cannot be read: out of memory.</source>
        <translation>WLAN-Informationen können nicht gelesen werden: nicht genügend Arbeitsspeicher.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Wi-Fi information is not available: the agent may not open a netlink socket (permission denied).</source>
        <translation>WLAN-Informationen sind nicht verfügbar: Der Agent darf keinen Netlink-Socket öffnen (Zugriff verweigert).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wi-Fi information is not available: no netlink socket (%1).</source>
        <translation>WLAN-Informationen sind nicht verfügbar: kein Netlink-Socket (%1).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Wi-Fi is not available: this host has no Wi-Fi driver loaded (the kernel offers no nl80211).</source>
        <translation>WLAN ist nicht verfügbar: Auf diesem Host ist kein WLAN-Treiber geladen (der Kernel bietet kein nl80211).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wi-Fi is not available: the kernel&apos;s nl80211 could not be found (%1).</source>
        <translation>WLAN ist nicht verfügbar: nl80211 des Kernels wurde nicht gefunden (%1).</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the netlink socket is not open</source>
        <translation>der Netlink-Socket ist nicht geöffnet</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>out of memory</source>
        <translation>nicht genügend Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the kernel did not answer in time</source>
        <translation>der Kernel hat nicht rechtzeitig geantwortet</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the kernel&apos;s answer did not end in time</source>
        <translation>die Antwort des Kernels wurde nicht rechtzeitig abgeschlossen</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Bitrate</name>
    <message>
        <location filename="../shared/util/bitrate.cpp" line="+41"/>
        <source>&quot;%1&quot; is not a bit rate; use bits per second or a number with k, M or G (e.g. 100M for 100 Mbit/s).</source>
        <translation>&quot;%1&quot; ist keine Bitrate; geben Sie Bit pro Sekunde an oder eine Zahl mit k, M oder G (z. B. 100M für 100 Mbit/s).</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Gbit/s</source>
        <translation>Gbit/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mbit/s</source>
        <translation>Mbit/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>kbit/s</source>
        <translation>kbit/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 bit/s</source>
        <translation>%1 bit/s</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::ByteSize</name>
    <message>
        <location filename="../shared/util/bytesize.cpp" line="+73"/>
        <source>&quot;%1&quot; is not a size; use bytes or a number with kB, MB, GB, TB, KiB, MiB, GiB or TiB (e.g. 10MB).</source>
        <translation>&quot;%1&quot; ist keine Größe; geben Sie Bytes an oder eine Zahl mit kB, MB, GB, TB, KiB, MiB, GiB oder TiB (z. B. 10MB).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>1 byte</source>
        <translation>1 Byte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::CommandLine</name>
    <message>
        <location filename="../shared/util/commandline.cpp" line="+30"/>
        <source> See --help.</source>
        <translation> Siehe --help.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Unknown command or argument &quot;%1&quot;. See --help.</source>
        <translation>Unbekannter Befehl oder unbekanntes Argument &quot;%1&quot;. Siehe --help.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Usage: %1</source>
        <translation>Aufruf: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>an unknown user</source>
        <translation>ein unbekannter Benutzer</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::ConfigFile</name>
    <message>
        <location filename="../shared/util/configfile.cpp" line="+67"/>
        <source>Cannot read the settings file %1: %2</source>
        <translation>Die Einstellungsdatei %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The settings file %1 is %2 bytes; a settings file holds at most %3, so this is not one.</source>
        <translation>Die Einstellungsdatei %1 ist %2 Bytes groß; eine Einstellungsdatei hat höchstens %3, also ist dies keine.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The settings file %1 is not UTF-8 text.</source>
        <translation>Die Einstellungsdatei %1 ist kein UTF-8-Text.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1, line %2: %3</source>
        <translation>%1, Zeile %2: %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the line is longer than %1 characters.</source>
        <translation>die Zeile ist länger als %1 Zeichen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; is not a section this file can have; it holds only [%2], or no section.</source>
        <translation>&quot;%1&quot; ist kein Abschnitt, den diese Datei haben kann; sie enthält nur [%2] oder keinen Abschnitt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>[%1] must come before the settings.</source>
        <translation>[%1] muss vor den Einstellungen stehen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; is not a setting; write it as name = value.</source>
        <translation>&quot;%1&quot; ist keine Einstellung; schreiben Sie sie als Name = Wert.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>a value without a name; write it as name = value.</source>
        <translation>ein Wert ohne Namen; schreiben Sie ihn als Name = Wert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&quot;%1&quot; is not a setting. The settings are: %2.</source>
        <translation>&quot;%1&quot; ist keine Einstellung. Die Einstellungen sind: %2.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;%1&quot; is not a setting; did you mean &quot;%2&quot;?</source>
        <translation>&quot;%1&quot; ist keine Einstellung; meinten Sie &quot;%2&quot;?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is set twice (first on line %2); keep one.</source>
        <translation>%1 ist doppelt gesetzt (zuerst in Zeile %2); behalten Sie nur eine Angabe.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 = %2: say yes or no.</source>
        <translation>%1 = %2: Geben Sie yes oder no an.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1, line %2</source>
        <translation>%1, Zeile %2</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The settings file %1 does not exist.</source>
        <translation>Die Einstellungsdatei %1 existiert nicht.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console</name>
    <message>
        <location filename="../console/storage/records.cpp" line="+120"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 ms: wrong, check NTP</source>
        <translation>%1 ms: falsch, NTP prüfen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>used up</source>
        <translation>aufgebraucht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>scheduled</source>
        <translation>geplant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>finished</source>
        <translation>beendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AboutDialog</name>
    <message>
        <location filename="../console/ui/aboutdialog.cpp" line="+30"/>
        <source>windows, networking and storage</source>
        <translation>Fenster, Netzwerk und Speicherung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>charts</source>
        <translation>Diagramme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the built-in database</source>
        <translation>die eingebaute Datenbank</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a shared database</source>
        <translation>eine gemeinsame Datenbank</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS and hashing</source>
        <translation>TLS und Hashes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>installing agents over SSH</source>
        <translation>Agenten über SSH installieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>compression</source>
        <translation>Kompression</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the agent&apos;s HTTP tests</source>
        <translation>die HTTP-Tests des Agenten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the agent&apos;s DNS tests</source>
        <translation>die DNS-Tests des Agenten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the agent&apos;s bandwidth tests</source>
        <translation>die Bandbreitentests des Agenten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the agent&apos;s Wi-Fi figures</source>
        <translation>die WLAN-Werte des Agenten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the agent&apos;s QoS tests</source>
        <translation>die QoS-Tests des Agenten</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;h2&gt;StreamSwarm Console %1&lt;/h2&gt;&lt;p&gt;Distributed network monitoring: agents on your hosts measure the network, and this console collects, stores and charts what they report.&lt;/p&gt;&lt;p&gt;Copyright 2026 The StreamSwarm authors.&lt;/p&gt;&lt;p&gt;This program is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License, version 3 or (at your option) any later version (GPL-3.0-or-later). It comes with no warranty. The licence&apos;s text is in /usr/share/common-licenses/GPL-3 on Debian and at &lt;a href=&quot;https://www.gnu.org/licenses/gpl-3.0.html&quot;&gt;gnu.org&lt;/a&gt;.&lt;/p&gt;&lt;p&gt;Running on Qt %2 (built with %3), %4.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;StreamSwarm Console %1&lt;/h2&gt;&lt;p&gt;Verteilte Netzwerküberwachung: Agenten auf Ihren Hosts messen das Netzwerk, und diese Konsole sammelt, speichert und zeichnet, was sie melden.&lt;/p&gt;&lt;p&gt;Copyright 2026 Die StreamSwarm-Autoren.&lt;/p&gt;&lt;p&gt;Dieses Programm ist freie Software: Sie können es unter den Bedingungen der GNU General Public License, Version 3 oder (nach Ihrer Wahl) jeder späteren Version (GPL-3.0-or-later), weitergeben und/oder verändern. Es kommt ohne jede Gewährleistung. Der Text der Lizenz steht unter Debian in /usr/share/common-licenses/GPL-3 und auf &lt;a href=&quot;https://www.gnu.org/licenses/gpl-3.0.html&quot;&gt;gnu.org&lt;/a&gt;.&lt;/p&gt;&lt;p&gt;Läuft auf Qt %2 (gebaut mit %3), %4.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>StreamSwarm is built with these libraries, each under its own licence:</source>
        <translation>StreamSwarm ist mit diesen Bibliotheken gebaut, jede unter ihrer eigenen Lizenz:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Library</source>
        <translation>Bibliothek</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Used for</source>
        <translation>Verwendet für</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The licences&apos; texts are in /usr/share/doc/PACKAGE/copyright for each Debian package.</source>
        <translation>Die Lizenztexte stehen für jedes Debian-Paket in /usr/share/doc/PAKET/copyright.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>About StreamSwarm Console</source>
        <translation>Über StreamSwarm Console</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&amp;About</source>
        <translation>Ü&amp;ber</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Licences</source>
        <translation>&amp;Lizenzen</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AddTestDialog</name>
    <message>
        <location filename="../console/ui/addtestdialog.cpp" line="+50"/>
        <source>&quot;%1&quot; is not a start time; write a date and time (2026-12-24 08:00) or +2h for two hours from now.</source>
        <translation>&quot;%1&quot; ist keine Startzeit; geben Sie Datum und Uhrzeit (2026-12-24 08:00) an oder +2h für in zwei Stunden.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>For</source>
        <translation>Für</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Until stopped</source>
        <translation>Bis zum Stoppen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All agents, also those enrolled later</source>
        <translation>Alle Agenten, auch später registrierte</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Edit test</source>
        <translation>Test bearbeiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicate test</source>
        <translation>Test duplizieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+70"/>
        <source>Add test</source>
        <translation>Test hinzufügen</translation>
    </message>
    <message>
        <location line="-68"/>
        <source>e.g. gateway-latency</source>
        <translation>z. B. gateway-latency</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Time between rounds: 500ms, 10s, 5m, 2h, 1d.</source>
        <translation>Zeit zwischen den Runden: 500ms, 10s, 5m, 2h, 1d.</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+291"/>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <location line="-290"/>
        <source>When the test starts: empty for now, a date and time (2026-12-24 08:00, your time), or +2h for two hours from now.</source>
        <translation>Wann der Test startet: leer für jetzt, ein Datum mit Uhrzeit (2026-12-24 08:00, Ihre Ortszeit) oder +2h für in zwei Stunden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>also every agent with one of these tags, e.g. core, branch</source>
        <translation>auch jeder Agent mit einem dieser Tags, z. B. core, branch</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Parameters (leave a field empty for its default)</source>
        <translation>Parameter (ein Feld für den Standardwert leer lassen)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T&amp;ype:</source>
        <translation>&amp;Typ:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Target:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Every:</source>
        <translation>&amp;Intervall:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Runs:</source>
        <translation>Laufzeit:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Starts:</source>
        <translation>&amp;Start:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Agents:</source>
        <translation>&amp;Agenten:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ta&amp;gs:</source>
        <translation>Ta&amp;gs:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save changes</source>
        <translation>Änderungen speichern</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>reflector IP address, or agent:NAME</source>
        <translation>IP-Adresse des Reflektors oder agent:NAME</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>host:port, e.g. www.example.com:443</source>
        <translation>host:port, z. B. www.example.com:443</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>name to look up, or an IP address for its name</source>
        <translation>aufzulösender Name oder eine IP-Adresse für die Rückwärtsauflösung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>URL, e.g. https://www.example.com/page?q=1</source>
        <translation>URL, z. B. https://www.example.com/page?q=1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>iperf3 server host[:port], agent:NAME (method=agent) or speed-test URL (method=http)</source>
        <translation>iperf3-Server host[:port], agent:NAME (method=agent) oder Geschwindigkeitstest-URL (method=http)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>host name or IP address</source>
        <translation>Hostname oder IP-Adresse</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+141"/>
        <source>each agent&apos;s own host</source>
        <translation>der eigene Host jedes Agenten</translation>
    </message>
    <message>
        <location line="-114"/>
        <source>%1 on %2</source>
        <translation>%1 unter %2</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>test name</source>
        <translation>Testname</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Give a target: the host name or address to test.</source>
        <translation>Geben Sie ein Ziel an: den Hostnamen oder die Adresse, die getestet werden soll.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The test must run longer than zero; choose &quot;Until stopped&quot; to run it until you stop it.</source>
        <translation>Der Test muss länger als null laufen; wählen Sie &quot;Bis zum Stoppen&quot;, damit er läuft, bis Sie ihn stoppen.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Tick the agents that should run the test, name tags, or choose &quot;All agents&quot;.</source>
        <translation>Haken Sie die Agenten an, die den Test ausführen sollen, nennen Sie Tags, oder wählen Sie &quot;Alle Agenten&quot;.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>for %1</source>
        <translation>für %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>until stopped</source>
        <translation>bis zum Stoppen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>every agent tagged %1</source>
        <translation>jeder Agent mit dem Tag %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Runs %1 on %2 every %3, %4, starting %5; on %6.</source>
        <translation>Führt %1 für %2 alle %3 aus, %4, Start %5; auf %6.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>all agents</source>
        <translation>allen Agenten</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentActions</name>
    <message>
        <location filename="../console/ui/agentactions.cpp" line="+23"/>
        <source>Re&amp;name agent…</source>
        <translation>Agent &amp;umbenennen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Tags of agent…</source>
        <translation>&amp;Tags des Agenten…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New credential for agent</source>
        <translation>&amp;Neue Zugangsdaten für den Agenten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Revoke agent…</source>
        <translation>Agent &amp;sperren…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Rename agent</source>
        <translation>Agent umbenennen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New name for &quot;%1&quot; (letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;). The agent learns it when it next connects; its tests and measurements stay with it.</source>
        <translation>Neuer Name für &quot;%1&quot; (Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; und &apos;-&apos;). Der Agent erfährt ihn bei seiner nächsten Verbindung; seine Tests und Messungen bleiben ihm zugeordnet.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Tags of agent</source>
        <translation>Tags des Agenten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tags of &quot;%1&quot;, separated by commas. Tests given to a tag run on every agent that has it.</source>
        <translation>Tags von &quot;%1&quot;, durch Kommas getrennt. Tests, die einem Tag zugewiesen sind, laufen auf jedem Agenten mit diesem Tag.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Revoke agent</source>
        <translation>Agent sperren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revoke &quot;%1&quot;? It is disconnected at once and its credential is refused from then on. Its measurements stay. To bring it back, enroll it again with a new token.</source>
        <translation>&quot;%1&quot; sperren? Seine Verbindung wird sofort getrennt, und seine Zugangsdaten werden ab dann abgelehnt. Seine Messungen bleiben erhalten. Um ihn zurückzuholen, registrieren Sie ihn erneut mit einem neuen Token.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The agent was not changed</source>
        <translation>Der Agent wurde nicht geändert</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentEngine</name>
    <message>
        <location filename="../console/server/agentengine.cpp" line="+136"/>
        <source>This agent was revoked in the console.</source>
        <translation>Dieser Agent wurde in der Konsole gesperrt.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentListModel</name>
    <message>
        <location filename="../console/models/agentlistmodel.cpp" line="+32"/>
        <source>%1 %2, version %3</source>
        <translation>%1 %2, Version %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent&apos;s clock minus the console&apos;s, give or take %1 ms. Over %2 ms off, its measurement times are wrong by as much: set up NTP or chrony on that host.</source>
        <translation>Uhrzeit des Agenten minus Uhrzeit der Konsole, auf ±%1 ms genau. Weicht sie um mehr als %2 ms ab, sind seine Messzeitpunkte um ebenso viel falsch: Richten Sie auf diesem Host NTP oder chrony ein.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>revoked</source>
        <translation>gesperrt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clock</source>
        <translation>Uhr</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentListener</name>
    <message>
        <location filename="../console/server/agentlistener.cpp" line="+20"/>
        <source>This console speaks TLS only: connect with wss:// instead of ws://.</source>
        <translation>Diese Konsole spricht nur TLS: Verbinden Sie sich mit wss:// statt ws://.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentRepository</name>
    <message>
        <location filename="../console/storage/agentrepository.cpp" line="+81"/>
        <source>There is no agent named &quot;%1&quot;; see &apos;agent list&apos;.</source>
        <translation>Es gibt keinen Agenten namens &quot;%1&quot;; siehe &apos;agent list&apos;.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>An agent named &quot;%1&quot; exists already; pick another name.</source>
        <translation>Ein Agent namens &quot;%1&quot; existiert bereits; wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>There is no active agent named &quot;%1&quot;; see &apos;agent list&apos;.</source>
        <translation>Es gibt keinen aktiven Agenten namens &quot;%1&quot;; siehe &apos;agent list&apos;.</translation>
    </message>
    <message>
        <location line="+124"/>
        <source>The agent was revoked; it gets no new credential.</source>
        <translation>Der Agent wurde gesperrt; er erhält keine neuen Zugangsdaten.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentSelection</name>
    <message>
        <location filename="../console/alerts/alertrule.cpp" line="+66"/>
        <source>tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>agent name</source>
        <translation>Agentenname</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;all&quot; already means every agent; give it alone.</source>
        <translation>&quot;all&quot; steht bereits für alle Agenten; geben Sie es allein an.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No agent is named; give names or tag:TAG separated by commas, or all.</source>
        <translation>Es ist kein Agent genannt; geben Sie Namen oder tag:TAG durch Kommas getrennt an, oder all.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentServer</name>
    <message>
        <location filename="../console/server/agentserver.cpp" line="+65"/>
        <source>Cannot listen on %1 port %2: %3. Pick another address or port with --listen HOST:PORT.</source>
        <translation>Lauschen auf %1 Port %2 nicht möglich: %3. Wählen Sie mit --listen HOST:PORT eine andere Adresse oder einen anderen Port.</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Too many failed attempts from this address; try again in %1 s.</source>
        <translation>Zu viele fehlgeschlagene Versuche von dieser Adresse; versuchen Sie es in %1 s erneut.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too many connections are waiting to authenticate; try again later.</source>
        <translation>Zu viele Verbindungen warten auf die Authentifizierung; versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>The same agent connected again from %1.</source>
        <translation>Derselbe Agent hat sich erneut von %1 aus verbunden.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentSession</name>
    <message>
        <location filename="../console/server/agentsession.cpp" line="+61"/>
        <source>No hello within 10 seconds.</source>
        <translation>Kein Hello innerhalb von 10 Sekunden.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No credentials were sent; start the agent with --token (made with &apos;token create&apos;).</source>
        <translation>Es wurden keine Zugangsdaten gesendet; starten Sie den Agenten mit --token (erstellt mit &apos;token create&apos;).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The token or credential sent is malformed (they look like sse_... or ssa_...); copy the token again, whole.</source>
        <translation>Das gesendete Token bzw. die gesendeten Zugangsdaten sind fehlerhaft (sie sehen aus wie sse_... oder ssa_...); kopieren Sie das Token erneut und vollständig.</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Text frames are not part of the protocol.</source>
        <translation>Text-Frames sind nicht Teil des Protokolls.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Too many messages: more than %1 a second. Slow down.</source>
        <translation>Zu viele Nachrichten: mehr als %1 pro Sekunde. Senden Sie langsamer.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Bad message: %1</source>
        <translation>Fehlerhafte Nachricht: %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Unexpected %1 message at this point.</source>
        <translation>Unerwartete %1-Nachricht an dieser Stelle.</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>The console cannot check credentials right now; try again later.</source>
        <translation>Die Konsole kann Zugangsdaten gerade nicht prüfen; versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>That name belongs to an enrolled agent.</source>
        <translation>Dieser Name gehört zu einem registrierten Agenten.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>More than %1 result batches are waiting to be stored; send fewer at a time.</source>
        <translation>Mehr als %1 Ergebnispakete warten darauf, gespeichert zu werden; senden Sie weniger auf einmal.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The console&apos;s disk is full, so it stores nothing now; this agent keeps its results until space is freed there.</source>
        <translation>Die Festplatte der Konsole ist voll, daher speichert sie jetzt nichts; dieser Agent behält seine Ergebnisse, bis dort wieder Platz ist.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The console cannot store results right now.</source>
        <translation>Die Konsole kann gerade keine Ergebnisse speichern.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>No answer from the agent for %1 seconds.</source>
        <translation>Seit %1 Sekunden keine Antwort vom Agenten.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentTableProxy</name>
    <message>
        <location filename="../console/ui/tableproxies.cpp" line="+67"/>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>never</source>
        <translation>nie</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentTree</name>
    <message>
        <location filename="../console/ui/agenttree.cpp" line="+43"/>
        <source>&amp;Group agents by tag</source>
        <translation>Agenten nach Tag &amp;gruppieren</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Shows the agents under their tags, such as a site or a role</source>
        <translation>Zeigt die Agenten unter ihren Tags, etwa einem Standort oder einer Rolle</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AgentTreeModel</name>
    <message>
        <location filename="../console/models/agenttreemodel.cpp" line="+203"/>
        <source>Agents without a tag</source>
        <translation>Agenten ohne Tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agents tagged %1; a test given to tag:%1 runs on each of them.</source>
        <translation>Agenten mit dem Tag %1; ein Test für tag:%1 läuft auf jedem von ihnen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No tag</source>
        <translation>Ohne Tag</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 of %2 online</source>
        <translation>%1 von %2 online</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertDiagnosis</name>
    <message>
        <location filename="../console/ui/alertdiagnosis.cpp" line="+52"/>
        <source>The agent whose view of the path is shown</source>
        <translation>Der Agent, aus dessen Sicht der Pfad gezeigt wird</translation>
    </message>
    <message>
        <location line="+130"/>
        <source>Choose a time the alert fired to see the evidence taken then.</source>
        <translation>Wählen Sie einen Zeitpunkt, zu dem der Alarm ausgelöst hat, um die damals erfassten Daten zu sehen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No diagnosis was taken.</source>
        <translation>Es wurde keine Diagnose erstellt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No diagnosis to show: the agent %1 is no longer enrolled.</source>
        <translation>Keine Diagnose anzuzeigen: Der Agent %1 ist nicht mehr registriert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>From %1 to %2, when the alert fired:</source>
        <translation>Von %1 zu %2, als der Alarm ausgelöst hat:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No traceroute was taken.</source>
        <translation>Es wurde kein Traceroute ausgeführt.</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the console does not list the test %1</source>
        <translation>die Konsole kennt den Test %1 nicht</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The traceroute could not be read: %1</source>
        <translation>Das Traceroute-Ergebnis konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (newest round of %2)</source>
        <translation>%1 (neueste Runde von %2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The traceroute %1 failed: %2</source>
        <translation>Der Traceroute-Test %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>The traceroute %1 has not sent a round yet; it runs %n rounds after the alert fires.</source>
        <translation>
            <numerusform>Der Traceroute-Test %1 hat noch keine Runde gesendet; er läuft nach dem Auslösen des Alarms %n Runde lang.</numerusform>
            <numerusform>Der Traceroute-Test %1 hat noch keine Runde gesendet; er läuft nach dem Auslösen des Alarms %n Runden lang.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The traceroute %1 sent no round; the agent may have been offline.</source>
        <translation>Der Traceroute-Test %1 hat keine Runde gesendet; der Agent war vielleicht offline.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The DNS lookup could not be read: %1</source>
        <translation>Die DNS-Abfrage konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>DNS lookup: %1</source>
        <translation>DNS-Abfrage: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The DNS lookup of %1 failed: %2</source>
        <translation>Die DNS-Abfrage von %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The DNS lookup %1 has not answered yet.</source>
        <translation>Die DNS-Abfrage %1 hat noch nicht geantwortet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The DNS lookup %1 sent no answer.</source>
        <translation>Die DNS-Abfrage %1 hat keine Antwort geliefert.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertDialog</name>
    <message>
        <location filename="../console/ui/alertdialog.cpp" line="+74"/>
        <location line="+94"/>
        <source>Add alert</source>
        <translation>Alarm hinzufügen</translation>
    </message>
    <message>
        <location line="-91"/>
        <source>e.g. loss-to-dc</source>
        <translation>z. B. verlust-zum-rz</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 test of %2</source>
        <translation>%1-Test für %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>above</source>
        <translation>über</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>below</source>
        <translation>unter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>e.g. 20</source>
        <translation>z. B. 20</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the alert level</source>
        <translation>die Alarmschwelle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The level the value must come back to before the alert clears, so that a value hovering around the alert level does not fire it again and again.</source>
        <translation>Der Wert, auf den der Messwert zurückkehren muss, bevor der Alarm endet, damit ein Wert, der um die Alarmschwelle pendelt, den Alarm nicht immer wieder auslöst.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>all agents; or names and tag:TAG, separated by commas</source>
        <translation>alle Agenten; oder Namen und tag:TAG, durch Kommas getrennt</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>desktop
email:noc@example.net
webhook:https://hooks.example.net/…</source>
        <translation>desktop
email:noc@example.net
webhook:https://hooks.example.net/…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>of the last</source>
        <translation>der letzten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rounds</source>
        <translation>Runden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>agents in trouble at once</source>
        <translation>Agenten gleichzeitig betroffen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>One target a line: desktop (this window), email:ADDRESS, webhook:URL or command:PATH. None: the alert shows only here and in &apos;alert list&apos;.</source>
        <translation>Ein Ziel pro Zeile: desktop (dieses Fenster), email:ADRESSE, webhook:URL oder command:PFAD. Ohne Ziel erscheint der Alarm nur hier und in &apos;alert list&apos;.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Test:</source>
        <translation>&amp;Test:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Metric:</source>
        <translation>&amp;Messgröße:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Fires when:</source>
        <translation>Aus&amp;lösen bei:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fo&amp;r:</source>
        <translation>&amp;Wie oft:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Clears at:</source>
        <translation>&amp;Endet bei:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;gents:</source>
        <translation>A&amp;genten:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At &amp;least:</source>
        <translation>M&amp;indestens:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Severity:</source>
        <translation>&amp;Schweregrad:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>N&amp;otify:</source>
        <translation>&amp;Benachrichtigen:</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Give the alert a name.</source>
        <translation>Geben Sie dem Alarm einen Namen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>alert name</source>
        <translation>Alarmname</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>There is no running test to watch; add a test first.</source>
        <translation>Es gibt keinen laufenden Test zum Überwachen; fügen Sie zuerst einen Test hinzu.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Give the level beyond which a round counts as bad, e.g. 20.</source>
        <translation>Geben Sie die Schwelle an, ab der eine Runde als schlecht gilt, z. B. 20.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;%1&quot; is not a number; write the level as e.g. 20 or 2.5.</source>
        <translation>&quot;%1&quot; ist keine Zahl; schreiben Sie die Schwelle z. B. als 20 oder 2,5.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; is not a number; leave the clear level empty to clear at the alert level.</source>
        <translation>&quot;%1&quot; ist keine Zahl; lassen Sie die Schwelle zum Beenden leer, damit der Alarm bei der Alarmschwelle endet.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The alert waits for %1 agents in trouble, but watches only %2; it could never fire.</source>
        <translation>Der Alarm wartet auf %1 betroffene Agenten, überwacht aber nur %2; er könnte nie auslösen.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Notify, line %1: %2</source>
        <translation>Benachrichtigen, Zeile %1: %2</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>any agent</source>
        <translation>jedem Agenten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>shown here only</source>
        <translation>nur hier angezeigt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sent to %1</source>
        <translation>gesendet an %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A %1 alert for the test %2: fires when %3 on %4; %5.</source>
        <translation>Alarm (%1) für den Test %2: löst aus bei %3 auf %4; %5.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertEngine</name>
    <message>
        <location filename="../console/alerts/alertengine.cpp" line="+70"/>
        <source>An alert notification could not be sent: %1</source>
        <translation>Eine Alarmbenachrichtigung konnte nicht gesendet werden: %1</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>The alert rules could not be read: %1</source>
        <translation>Die Alarmregeln konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>An alert could not be recorded: %1</source>
        <translation>Ein Alarm konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The stored notification cannot be read (%1).</source>
        <translation>Die gespeicherte Benachrichtigung kann nicht gelesen werden (%1).</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>damaged message</source>
        <translation>beschädigte Nachricht</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>An alert notification waits for the next start: %1</source>
        <translation>Eine Alarmbenachrichtigung wartet auf den nächsten Start: %1</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertHistoryModel</name>
    <message>
        <location filename="../console/ui/alerthistorymodel.cpp" line="+55"/>
        <source>%1, still firing</source>
        <translation>%1, noch ausgelöst</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not yet</source>
        <translation>noch nicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>by %1 after %2</source>
        <translation>von %1 nach %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>silenced by the maintenance window &quot;%1&quot;</source>
        <translation>stummgeschaltet durch das Wartungsfenster &quot;%1&quot;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>held while &quot;%1&quot; fired</source>
        <translation>zurückgehalten, während &quot;%1&quot; ausgelöst war</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Cleared %1</source>
        <translation>Beendet: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When it fired: %1 (value %2)</source>
        <translation>Beim Auslösen: %1 (Wert %2)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Started</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lasted</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agents</source>
        <translation>Agenten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Note</source>
        <translation>Anmerkung</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertMessage</name>
    <message>
        <location filename="../console/alerts/alertmessage.cpp" line="+108"/>
        <source>FIRING</source>
        <translation>AUSGELÖST</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CLEARED</source>
        <translation>BEENDET</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TEST</source>
        <translation>TEST</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 above %2</source>
        <translation>%1 über %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 below %2</source>
        <translation>%1 unter %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, threshold %2</source>
        <translation>%1, Schwelle %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>[%1] %2 (%3)</source>
        <translation>[%1] %2 (%3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>[%1] %2: %3 (%4)</source>
        <translation>[%1] %2: %3 (%4)</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n weiterer</numerusform>
            <numerusform>%n weitere</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: a test notification from the StreamSwarm console on %2.</source>
        <translation>%1: eine Testbenachrichtigung der StreamSwarm-Konsole auf %2.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 on %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the StreamSwarm console</source>
        <translation>der StreamSwarm-Konsole</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the StreamSwarm console on %1</source>
        <translation>der StreamSwarm-Konsole auf %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The alert &quot;%1&quot; is firing (%2).</source>
        <translation>Der Alarm &quot;%1&quot; ist ausgelöst (%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The alert &quot;%1&quot; has cleared (%2).</source>
        <translation>Der Alarm &quot;%1&quot; ist beendet (%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This is a test of the alert &quot;%1&quot; (%2): nothing is wrong.</source>
        <translation>Dies ist ein Test des Alarms &quot;%1&quot; (%2): Es liegt kein Problem vor.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The alert &quot;%1&quot; is %2 (%3).</source>
        <translation>Der Alarm &quot;%1&quot; ist %2 (%3).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 on the test &quot;%2&quot; has no value (the threshold is %3).</source>
        <translation>%1 im Test &quot;%2&quot; hat keinen Wert (die Schwelle ist %3).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 on the test &quot;%2&quot; is %3; the alert fires below %4.</source>
        <translation>%1 im Test &quot;%2&quot; ist %3; der Alarm löst unter %4 aus.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 on the test &quot;%2&quot; is %3; the alert fires above %4.</source>
        <translation>%1 im Test &quot;%2&quot; ist %3; der Alarm löst über %4 aus.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 It clears at %2.</source>
        <translation>%1 Er endet bei %2.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What:  %1</source>
        <translation>Was:   %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where: %1, seen by %2.</source>
        <translation>Wo:    %1, gesehen von %2.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no agent named</source>
        <translation>kein Agent genannt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>agents %1</source>
        <translation>Agenten %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When:  %1 (UTC)</source>
        <translation>Wann:  %1 (UTC)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Diagnosis:</source>
        <translation>Diagnose:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What to do next: open the test &quot;%1&quot; in %2 to see its charts and paths for these agents, then acknowledge the alert with: streamswarm-console alert ack &quot;%3&quot; --comment &quot;what you found&quot;</source>
        <translation>Nächster Schritt: Öffnen Sie den Test &quot;%1&quot; in %2, um seine Diagramme und Pfade für diese Agenten zu sehen, und bestätigen Sie den Alarm dann mit: streamswarm-console alert ack &quot;%3&quot; --comment &quot;was Sie gefunden haben&quot;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What to do next: nothing is needed; the test&apos;s history in %1 shows what happened.</source>
        <translation>Nächster Schritt: Nichts ist nötig; der Verlauf des Tests in %1 zeigt, was geschehen ist.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What to do next: nothing; this message shows that alert notifications reach you.</source>
        <translation>Nächster Schritt: Keiner; diese Nachricht zeigt, dass Alarmbenachrichtigungen Sie erreichen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent by %1.</source>
        <translation>Gesendet von %1.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertModel</name>
    <message>
        <location filename="../console/ui/alertmodel.cpp" line="+59"/>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>firing</source>
        <translation>ausgelöst</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>acknowledged</source>
        <translation>bestätigt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>silenced</source>
        <translation>stummgeschaltet</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>critical</source>
        <translation>Kritisch</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Acknowledged by %1 after %2%3</source>
        <translation>Bestätigt von %1 nach %2%3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>: %1</source>
        <translation>: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Kept quiet by the maintenance window &quot;%1&quot;; nothing is sent.</source>
        <translation>Stummgeschaltet durch das Wartungsfenster &quot;%1&quot;; es wird nichts gesendet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Held: the alert &quot;%1&quot; fires too and explains it.</source>
        <translation>Zurückgehalten: Der Alarm &quot;%1&quot; ist ebenfalls ausgelöst und erklärt ihn.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Firing: nobody has acknowledged it yet.</source>
        <translation>Ausgelöst: Noch hat ihn niemand bestätigt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not firing.</source>
        <translation>Nicht ausgelöst.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No agent is in trouble.</source>
        <translation>Kein Agent ist betroffen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>In trouble: %1; the alert fires when %2 are.</source>
        <translation>Betroffen: %1; der Alarm löst aus, wenn %2 betroffen sind.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>In trouble: %1</source>
        <translation>Betroffen: %1</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Alert</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Condition</source>
        <translation>Bedingung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agents in trouble</source>
        <translation>Betroffene Agenten</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertNotices</name>
    <message>
        <location filename="../console/app/alertnotices.cpp" line="+27"/>
        <source>Seen by %1, whose paths share the hop %2: the trouble is likely there or beyond it. Alerts it explains are held.</source>
        <translation>Gesehen von %1, deren Pfade sich den Hop %2 teilen: Das Problem liegt wahrscheinlich dort oder dahinter. Alarme, die es erklärt, werden zurückgehalten.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertRepository</name>
    <message>
        <location filename="../console/storage/alertrepository.cpp" line="+65"/>
        <source>There is already an alert named &quot;%1&quot;; see &apos;alert list&apos;.</source>
        <translation>Es gibt bereits einen Alarm namens &quot;%1&quot;; siehe &apos;alert list&apos;.</translation>
    </message>
    <message>
        <location line="+517"/>
        <source>There is already a maintenance window named &quot;%1&quot;; see &apos;maintenance list&apos;.</source>
        <translation>Es gibt bereits ein Wartungsfenster namens &quot;%1&quot;; siehe &apos;maintenance list&apos;.</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>There is no maintenance window named &quot;%1&quot;; see &apos;maintenance list&apos;.</source>
        <translation>Es gibt kein Wartungsfenster namens &quot;%1&quot;; siehe &apos;maintenance list&apos;.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertRule</name>
    <message>
        <location filename="../console/alerts/alertrule.cpp" line="+56"/>
        <source>an agent away for more than a minute</source>
        <translation>ein Agent länger als eine Minute offline</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, at least %2 agents at once</source>
        <translation>%1, mindestens %2 Agenten gleichzeitig</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the route of %1 changes (clears after %2 rounds on the same route)</source>
        <translation>die Route von %1 ändert sich (endet nach %2 Runden auf derselben Route)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the change of %1 from one round to the next</source>
        <translation>die Änderung von %1 von Runde zu Runde</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the %1th percentile of %2 over %3 rounds</source>
        <translation>das %1. Perzentil von %2 der letzten %3 Runden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 over %2 rounds against its usual level</source>
        <translation>%1 der letzten %2 Runden im Verhältnis zum üblichen Wert</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 above %2</source>
        <translation>%1 über %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 below %2</source>
        <translation>%1 unter %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 in %2 of %3 rounds</source>
        <translation>%1 in %2 von %3 Runden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, clears at %2</source>
        <translation>%1, endet bei %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, on at least %2 agents</source>
        <translation>%1, auf mindestens %2 Agenten</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>A test message: this is how alert &quot;%1&quot; will reach you.</source>
        <translation>Eine Testnachricht: So erreicht Sie der Alarm &quot;%1&quot;.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>alert name</source>
        <translation>Alarmname</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--on takes agent-offline or route-change.</source>
        <translation>--on erwartet agent-offline oder route-change.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An alert on %1 watches no metric; leave --metric out.</source>
        <translation>Ein Alarm für %1 überwacht keine Messgröße; lassen Sie --metric weg.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An alert on agent-offline watches agents, not a test; leave --test out.</source>
        <translation>Ein Alarm für agent-offline überwacht Agenten, keinen Test; lassen Sie --test weg.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An alert on route-change needs the traceroute test to watch: give --test.</source>
        <translation>Ein Alarm für route-change braucht den Traceroute-Test, den er überwachen soll: Geben Sie --test an.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Give the metric to watch, e.g. ping.loss_pct (see the test type&apos;s metrics in &apos;test add --help&apos;).</source>
        <translation>Geben Sie die zu überwachende Messgröße an, z. B. ping.loss_pct (die Messgrößen der Testtypen zeigt &apos;test add --help&apos;).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The alert&apos;s levels must be numbers.</source>
        <translation>Die Schwellen des Alarms müssen Zahlen sein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The clear level (%1) must not be above the alert level (%2): the alert clears when the value falls back to it.</source>
        <translation>Die Schwelle zum Beenden (%1) darf nicht über der Alarmschwelle (%2) liegen: Der Alarm endet, wenn der Wert wieder auf sie fällt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The clear level (%1) must not be below the alert level (%2): the alert clears when the value rises back to it.</source>
        <translation>Die Schwelle zum Beenden (%1) darf nicht unter der Alarmschwelle (%2) liegen: Der Alarm endet, wenn der Wert wieder auf sie steigt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>--for takes 1 to %1 rounds.</source>
        <translation>--for erwartet 1 bis %1 Runden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--of takes %1 to %2 rounds: at least as many as --for.</source>
        <translation>--of erwartet %1 bis %2 Runden: mindestens so viele wie --for.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--window takes 2 to %1 rounds.</source>
        <translation>--window erwartet 2 bis %1 Runden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--percentile takes 1 to 99.9, e.g. 95.</source>
        <translation>--percentile erwartet 1 bis 99.9, z. B. 95.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Against the usual level, the level is a ratio above zero: --above 1.5 means half as much again as usual.</source>
        <translation>Im Vergleich zum üblichen Wert ist die Schwelle ein Verhältnis größer als null: --above 1.5 bedeutet anderthalbmal so viel wie üblich.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>--min-agents takes 1 to %1.</source>
        <translation>--min-agents erwartet 1 bis %1.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--min-agents is %1, but the alert watches only %2 agents, so it could never fire.</source>
        <translation>--min-agents ist %1, aber der Alarm überwacht nur %2 Agenten und könnte daher nie auslösen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>alert name in --depends-on</source>
        <translation>Alarmname in --depends-on</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An alert cannot depend on itself.</source>
        <translation>Ein Alarm kann nicht von sich selbst abhängen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An alert takes at most %1 --notify targets.</source>
        <translation>Ein Alarm hat höchstens %1 Ziele für --notify.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertTray</name>
    <message>
        <location filename="../console/ui/alerttray.cpp" line="+26"/>
        <source>StreamSwarm Console</source>
        <translation>StreamSwarm Console</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AlertsPane</name>
    <message>
        <location filename="../console/ui/alertspane.cpp" line="+87"/>
        <source>&amp;Add alert…</source>
        <translation>Alarm &amp;hinzufügen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;cknowledge…</source>
        <translation>&amp;Bestätigen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Say that someone is on it: the alert sends nothing more until it clears</source>
        <translation>Melden, dass sich jemand darum kümmert: Der Alarm sendet nichts mehr, bis er endet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Test</source>
        <translation>Te&amp;st</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send a test message to each of the alert&apos;s targets now, to see that they arrive</source>
        <translation>Jetzt eine Testnachricht an jedes Ziel des Alarms senden, um zu sehen, ob sie ankommt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Maintenance windows…</source>
        <translation>&amp;Wartungsfenster…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Times when alerts stay silent, such as planned work; measuring goes on</source>
        <translation>Zeiten, in denen Alarme stumm bleiben, etwa bei geplanten Arbeiten; die Messung läuft weiter</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>When it fired</source>
        <translation>Wann er ausgelöst hat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diagnosis</source>
        <translation>Diagnose</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Test message for &quot;%1&quot; sent to %2.</source>
        <translation>Testnachricht für &quot;%1&quot; an %2 gesendet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test message for &quot;%1&quot; not sent to %2: %3</source>
        <translation>Testnachricht für &quot;%1&quot; nicht an %2 gesendet: %3</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>The alerts could not be read: %1</source>
        <translation>Die Alarme konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The alerts&apos; history could not be read: %1</source>
        <translation>Der Verlauf der Alarme konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Choose an alert above to see when it fired.</source>
        <translation>Wählen Sie oben einen Alarm, um zu sehen, wann er ausgelöst hat.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No alerts yet. Add one to be told when a test&apos;s measurements cross a level you choose.</source>
        <translation>Noch keine Alarme. Fügen Sie einen hinzu, um benachrichtigt zu werden, wenn die Messwerte eines Tests eine von Ihnen gewählte Schwelle überschreiten.</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>&quot;%1&quot; has not fired in the last %n days.</source>
        <translation>
            <numerusform>&quot;%1&quot; hat seit %n Tag nicht ausgelöst.</numerusform>
            <numerusform>&quot;%1&quot; hat seit %n Tagen nicht ausgelöst.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>&quot;%1&quot; fired %n times in the last %2 days, newest first.</source>
        <translation>
            <numerusform>&quot;%1&quot; hat in den letzten %2 Tagen %n-mal ausgelöst.</numerusform>
            <numerusform>&quot;%1&quot; hat in den letzten %2 Tagen %n-mal ausgelöst, neueste zuerst.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+38"/>
        <source>%n firing</source>
        <translation>
            <numerusform>%n ausgelöst</numerusform>
            <numerusform>%n ausgelöst</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n acknowledged</source>
        <translation>
            <numerusform>%n bestätigt</numerusform>
            <numerusform>%n bestätigt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n silenced</source>
        <translation>
            <numerusform>%n stummgeschaltet</numerusform>
            <numerusform>%n stummgeschaltet</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No alerts</source>
        <translation>Keine Alarme</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n alerts, all ok</source>
        <translation>
            <numerusform>%n Alarm, alles ok</numerusform>
            <numerusform>%n Alarme, alles ok</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n alerts: %1</source>
        <translation>
            <numerusform>%n Alarm: %1</numerusform>
            <numerusform>%n Alarme: %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A&amp;lerts (%1)</source>
        <translation>A&amp;larme (%1)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A&amp;lerts</source>
        <translation>A&amp;larme</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Added the alert &quot;%1&quot;.</source>
        <translation>Alarm &quot;%1&quot; hinzugefügt.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Acknowledge alert</source>
        <translation>Alarm bestätigen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged, &quot;%1&quot; sends nothing more until it clears.
What is being done about it?</source>
        <translation>Nach der Bestätigung sendet &quot;%1&quot; nichts mehr, bis er endet.
Was wird dagegen unternommen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledge</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; was not acknowledged: %2</source>
        <translation>&quot;%1&quot; wurde nicht bestätigt: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Acknowledged &quot;%1&quot;; it sends nothing more until it clears.</source>
        <translation>&quot;%1&quot; bestätigt; er sendet nichts mehr, bis er endet.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Remove alert</source>
        <translation>Alarm entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the alert &quot;%1&quot;? It stops watching %2 on %3.

The times it fired stay in the event log.</source>
        <translation>Den Alarm &quot;%1&quot; entfernen? Er überwacht dann nicht mehr %2 im Test %3.

Die Zeiten, zu denen er ausgelöst hat, bleiben im Ereignisprotokoll.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; was not removed: %2</source>
        <translation>&quot;%1&quot; wurde nicht entfernt: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Removed the alert &quot;%1&quot;.</source>
        <translation>Alarm &quot;%1&quot; entfernt.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Sending test messages for &quot;%1&quot;…</source>
        <translation>Testnachrichten für &quot;%1&quot; werden gesendet…</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::AppearanceMenu</name>
    <message>
        <location filename="../console/ui/appearance.cpp" line="+159"/>
        <source>&amp;Appearance</source>
        <translation>&amp;Darstellung</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The system&apos;s colours</source>
        <translation>Die Farben des Systems</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::BulkTurns</name>
    <message>
        <location filename="../console/server/bulkturns.cpp" line="+49"/>
        <source>The agent &quot;%1&quot; disconnected from the console before it could serve the measurement.</source>
        <translation>Der Agent &quot;%1&quot; hat die Verbindung zur Konsole getrennt, bevor er als Gegenstelle für die Messung dienen konnte.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The console has no test %1 for this agent that measures to another agent, so it gave no turn.</source>
        <translation>Die Konsole hat für diesen Agenten keinen Test %1, der zu einem anderen Agenten misst, und hat daher kein Zeitfenster vergeben.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The agent &quot;%1&quot; is not connected to the console, so it cannot serve the measurement. The next round tries again.</source>
        <translation>Der Agent &quot;%1&quot; ist nicht mit der Konsole verbunden und kann daher nicht als Gegenstelle für die Messung dienen. Die nächste Runde versucht es erneut.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This agent is &quot;%1&quot;, the test&apos;s target: a bandwidth test between agents needs two of them. Leave this agent out of the test&apos;s agents.</source>
        <translation>Dieser Agent ist &quot;%1&quot;, das Ziel des Tests: Ein Bandbreitentest zwischen Agenten braucht zwei verschiedene. Nehmen Sie diesen Agenten aus den Agenten des Tests heraus.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>This agent already waits for %1 turns, so the console refused one more.</source>
        <translation>Dieser Agent wartet bereits auf %1 Zeitfenster, daher hat die Konsole ein weiteres abgelehnt.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>The agent &quot;%1&quot; could not serve the measurement: %2</source>
        <translation>Der Agent &quot;%1&quot; konnte nicht als Gegenstelle für die Messung dienen: %2</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>The agent &quot;%1&quot; did not start serving the measurement in time, so the round was skipped.</source>
        <translation>Der Agent &quot;%1&quot; stand nicht rechtzeitig als Gegenstelle für die Messung bereit, daher wurde die Runde übersprungen.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The agents were busy with other bandwidth measurements for all the time this round could wait, so it was skipped: two at once would each measure a share of the link. Give the tests longer intervals, or give these agents fewer of them.</source>
        <translation>Die Agenten waren die ganze Zeit, die diese Runde warten konnte, mit anderen Bandbreitenmessungen beschäftigt, daher wurde sie übersprungen: Zwei gleichzeitige Messungen würden jeweils nur einen Teil der Leitung messen. Geben Sie den Tests längere Intervalle oder diesen Agenten weniger davon.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::CertificateStore</name>
    <message>
        <location filename="../console/server/certificatestore.cpp" line="+52"/>
        <source>Cannot make a key for the console&apos;s certificate (OpenSSL failed).</source>
        <translation>Der Schlüssel für das Zertifikat der Konsole kann nicht erzeugt werden (OpenSSL-Fehler).</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Cannot sign the console&apos;s certificate (OpenSSL failed).</source>
        <translation>Das Zertifikat der Konsole kann nicht signiert werden (OpenSSL-Fehler).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot write the console&apos;s certificate (OpenSSL failed).</source>
        <translation>Das Zertifikat der Konsole kann nicht geschrieben werden (OpenSSL-Fehler).</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+6"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>%1 exists but %2 does not; restore the missing file, or remove the other one to make a new certificate (agents will then refuse it until told the new fingerprint).</source>
        <translation>%1 ist vorhanden, %2 aber nicht; stellen Sie die fehlende Datei wieder her oder entfernen Sie die andere, um ein neues Zertifikat zu erzeugen (die Agenten lehnen es dann ab, bis sie den neuen Fingerabdruck erhalten).</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Cannot create the folder %1; check its permissions.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden; prüfen Sie seine Berechtigungen.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No console has been started with the data folder %1 yet, so it has no certificate; start the console once with the same --data-dir or --db (it makes the certificate on its first start) and run this again.</source>
        <translation>Mit dem Datenordner %1 wurde noch keine Konsole gestartet, daher gibt es noch kein Zertifikat; starten Sie die Konsole einmal mit demselben --data-dir oder --db (beim ersten Start erzeugt sie das Zertifikat) und führen Sie diesen Befehl dann erneut aus.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 holds no PEM certificate.</source>
        <translation>%1 enthält kein PEM-Zertifikat.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The private key for %1 is not a readable PEM key (EC or RSA, without a passphrase).</source>
        <translation>Der private Schlüssel für %1 ist kein lesbarer PEM-Schlüssel (EC oder RSA, ohne Passphrase).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The private key does not belong to the certificate %1.</source>
        <translation>Der private Schlüssel gehört nicht zum Zertifikat %1.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ChartCompare</name>
    <message>
        <location filename="../console/ui/chartcompare.cpp" line="+46"/>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Compare: draw other agents that run this test, or other figures of it, over the chart</source>
        <translation>Vergleichen: zeichnet andere Agenten mit diesem Test oder andere Werte davon über das Diagramm</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>Other agents running this test</source>
        <translation>Andere Agenten mit diesem Test</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No other agent runs it</source>
        <translation>Kein anderer Agent führt ihn aus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other figures of this agent</source>
        <translation>Andere Werte dieses Agenten</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Remove the compared lines</source>
        <translation>Verglichene Linien entfernen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>agent %1</source>
        <translation>Agent %1</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ChartExport</name>
    <message>
        <location filename="../console/ui/charts/chartexport.cpp" line="+33"/>
        <location line="+25"/>
        <source>StreamSwarm chart</source>
        <translation>StreamSwarm-Diagramm</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Save the chart as .png, .svg or .pdf (not .%1).</source>
        <translation>Speichern Sie das Diagramm als .png, .svg oder .pdf (nicht .%1).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not draw the chart as %1.</source>
        <translation>Das Diagramm ließ sich nicht als %1 zeichnen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not write %1: %2</source>
        <translation>%1 ließ sich nicht schreiben: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG-Zeichnung (*.svg)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF document (*.pdf)</source>
        <translation>PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+10"/>
        <source>Save chart</source>
        <translation>Diagramm speichern</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ChartFigures</name>
    <message>
        <location filename="../console/ui/chartfigures.cpp" line="+55"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 &lt;b&gt;%2&lt;/b&gt;</source>
        <translation>%1 &lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RTT &lt;b&gt;%1 ms&lt;/b&gt;</source>
        <translation>RTT &lt;b&gt;%1 ms&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>loss &lt;b&gt;%1 %&lt;/b&gt;</source>
        <translation>Verlust &lt;b&gt;%1 %&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The newest round: average round-trip time (shortest–longest) and packet loss</source>
        <translation>Die neueste Runde: mittlere Umlaufzeit (kürzeste–längste) und Paketverlust</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The newest round&apos;s figure</source>
        <translation>Der Wert der neuesten Runde</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ChartSeriesModel</name>
    <message>
        <location filename="../console/models/chartseriesmodel.cpp" line="+282"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lowest</source>
        <translation>Tiefstwert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Highest</source>
        <translation>Höchstwert</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Cli</name>
    <message>
        <location filename="../console/cli/accesscommands.cpp" line="+21"/>
        <source>How many agents may enroll with it (default 1).</source>
        <translation>Wie viele Agenten sich damit registrieren dürfen (Standard: 1).</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../console/cli/alertcommands.cpp" line="+99"/>
        <location line="+29"/>
        <location line="+230"/>
        <location filename="../console/cli/datacommands.cpp" line="+361"/>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How long it stays valid (default 7d).</source>
        <translation>Wie lange es gültig bleibt (Standard: 7d).</translation>
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
        <translation>DURATION</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Make a single-use token that moves this enrolled agent to a new host: the agent that enrolls with it takes the name, tests and history, and the old host&apos;s credential stops working.</source>
        <translation>Ein Einmal-Token erstellen, das diesen registrierten Agenten auf einen neuen Host umzieht: Der Agent, der sich damit registriert, übernimmt Namen, Tests und Verlauf, und die Zugangsdaten des alten Hosts werden ungültig.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../console/cli/datacommands.cpp" line="-59"/>
        <location line="+114"/>
        <source>AGENT</source>
        <translation>AGENT</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A token made with --replace moves one agent: leave out --uses.</source>
        <translation>Ein mit --replace erstelltes Token zieht genau einen Agenten um: Lassen Sie --uses weg.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>--uses must be a whole number from 1 to %1.</source>
        <translation>--uses muss eine ganze Zahl von 1 bis %1 sein.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>--expires must be longer than zero; a token that has already expired lets no agent join.</source>
        <translation>--expires muss größer als null sein; mit einem bereits abgelaufenen Token kann sich kein Agent registrieren.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--expires %1 is longer than a token may last; give at most %2 (about 27 years).</source>
        <translation>--expires %1 ist länger, als ein Token gültig sein darf; geben Sie höchstens %2 an (etwa 27 Jahre).</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Token &quot;%1&quot; enrolls one agent as &quot;%2&quot; until %3; the agent now known by that name stops working then. It is shown only this once.</source>
        <translation>Token &quot;%1&quot; registriert bis %3 einen Agenten als &quot;%2&quot;; der Agent, der jetzt unter diesem Namen bekannt ist, funktioniert danach nicht mehr. Das Token wird nur dieses eine Mal angezeigt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Token &quot;%1&quot; allows %2 enrollment(s) until %3. It is shown only this once.</source>
        <translation>Token &quot;%1&quot; erlaubt %2 Registrierung(en), gültig bis %3. Das Token wird nur dieses eine Mal angezeigt.</translation>
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
        <translation>NAME</translation>
    </message>
    <message>
        <location line="-38"/>
        <location filename="../console/cli/alertcommands.cpp" line="-274"/>
        <location filename="../console/cli/testcommands.cpp" line="+1"/>
        <source>STATE</source>
        <translation>STATE</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>USES LEFT</source>
        <translation>USES LEFT</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>EXPIRES</source>
        <translation>EXPIRES</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Revoked token &quot;%1&quot;.</source>
        <translation>Token &quot;%1&quot; gesperrt.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>revoked</source>
        <translation>gesperrt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>STATUS</source>
        <translation>STATUS</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../console/cli/deploycommand.cpp" line="-7"/>
        <source>HOST</source>
        <translation>HOST</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>OS</source>
        <translation>OS</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>VERSION</source>
        <translation>VERSION</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>LAST SEEN</source>
        <translation>LAST SEEN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CLOCK</source>
        <translation>CLOCK</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TAGS</source>
        <translation>TAGS</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ADDRESS</source>
        <translation>ADDRESS</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Renamed agent &quot;%1&quot; to &quot;%2&quot;; it learns its new name when it next connects.</source>
        <translation>Agent &quot;%1&quot; in &quot;%2&quot; umbenannt; er erfährt seinen neuen Namen bei seiner nächsten Verbindung.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Agent &quot;%1&quot; has no tags now.</source>
        <translation>Agent &quot;%1&quot; hat jetzt keine Tags.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent &quot;%1&quot; now has the tags: %2.</source>
        <translation>Agent &quot;%1&quot; hat jetzt die Tags: %2.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Revoked agent &quot;%1&quot;; a running console disconnects it within a second.</source>
        <translation>Agent &quot;%1&quot; gesperrt; eine laufende Konsole trennt ihn innerhalb einer Sekunde.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Agent &quot;%1&quot; gets a new credential from the running console as soon as it is online (within a second if it is online now); its old credential then stops working.</source>
        <translation>Agent &quot;%1&quot; erhält von der laufenden Konsole neue Zugangsdaten, sobald er online ist (innerhalb einer Sekunde, falls er jetzt online ist); seine alten Zugangsdaten werden dann ungültig.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The certificate the console is started with, if not its own.</source>
        <translation>Das Zertifikat, mit dem die Konsole gestartet wird, falls nicht ihr eigenes.</translation>
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
        <translation>FILE</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The private key for --cert.</source>
        <translation>Der private Schlüssel zu --cert.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Give --cert and --key together.</source>
        <translation>Geben Sie --cert und --key zusammen an.</translation>
    </message>
    <message>
        <location filename="../console/cli/cli.cpp" line="+31"/>
        <source>Make an enrollment token for agents to join with.</source>
        <translation>Ein Registrierungs-Token erstellen, mit dem sich Agenten registrieren können.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the enrollment tokens and how many uses each has left.</source>
        <translation>Die Registrierungs-Tokens anzeigen und wie viele Verwendungen jeweils übrig sind.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stop a token from letting any more agents join.</source>
        <translation>Ein Token sperren, sodass sich damit keine weiteren Agenten registrieren können.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the agents, whether they are online and their clocks.</source>
        <translation>Die Agenten anzeigen, ob sie online sind und wie ihre Uhren gehen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cut an agent off and refuse its credential from now on.</source>
        <translation>Einen Agenten trennen und seine Zugangsdaten ab sofort ablehnen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give an agent a new credential and retire its old one.</source>
        <translation>Einem Agenten neue Zugangsdaten geben und die alten außer Kraft setzen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give an agent another name.</source>
        <translation>Einen Agenten umbenennen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give an agent tags; tests for a tag (--agents tag:TAG) then run on it.</source>
        <translation>Einem Agenten Tags geben; Tests für ein Tag (--agents tag:TAG) laufen dann auch auf ihm.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Take tags away from an agent.</source>
        <translation>Tags von einem Agenten entfernen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Start measuring: a test that agents run.</source>
        <translation>Mit dem Messen beginnen: einen Test anlegen, den Agenten ausführen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change a test; the agents that run it follow at once.</source>
        <translation>Einen Test ändern; die Agenten, die ihn ausführen, übernehmen die Änderung sofort.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pause a test without deleting it.</source>
        <translation>Einen Test pausieren, ohne ihn zu löschen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Let a paused test run again.</source>
        <translation>Einen pausierten Test wieder laufen lassen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the tests and whether they are running.</source>
        <translation>Die Tests anzeigen und ob sie laufen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop a running test.</source>
        <translation>Einen laufenden Test stoppen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete a test, keeping or deleting its measurements.</source>
        <translation>Einen Test löschen und seine Messungen behalten oder mitlöschen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Write the measured samples out as CSV or JSON.</source>
        <translation>Die gemessenen Werte als CSV oder JSON ausgeben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show round-trip times and loss per agent and test.</source>
        <translation>Umlaufzeiten und Verlust je Agent und Test anzeigen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Write a PDF report for managers, engineers or a provider.</source>
        <translation>Einen PDF-Bericht für Vorgesetzte, Techniker oder einen Provider schreiben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show or set how long samples and their rollups per minute and hour are kept.</source>
        <translation>Zeigen oder festlegen, wie lange Messwerte und ihre Zusammenfassungen pro Minute und Stunde aufbewahrt werden.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Show, find and export events: who changed what, which alerts fired, and when.</source>
        <translation>Ereignisse anzeigen, suchen und exportieren: wer was geändert hat, welche Alarme ausgelöst haben, und wann.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Be told when a test&apos;s metric goes beyond a level.</source>
        <translation>Benachrichtigt werden, wenn eine Messgröße eines Tests eine Schwelle überschreitet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the alerts and whether each is firing.</source>
        <translation>Die Alarme anzeigen und ob sie ausgelöst sind.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledge a firing alert: someone is on it.</source>
        <translation>Einen ausgelösten Alarm bestätigen: Jemand kümmert sich darum.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove an alert; its history stays.</source>
        <translation>Einen Alarm entfernen; sein Verlauf bleibt erhalten.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show when alerts fired, how long they lasted and how soon someone acknowledged them.</source>
        <translation>Anzeigen, wann Alarme ausgelöst haben, wie lange sie dauerten und wie schnell sie bestätigt wurden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send a test message to each of an alert&apos;s targets now, as the console would, and say how it went.</source>
        <translation>Jetzt eine Testnachricht an jedes Ziel eines Alarms senden, wie es die Konsole täte, und das Ergebnis melden.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keep alerts silent during planned work; measuring goes on.</source>
        <translation>Alarme während geplanter Arbeiten stummschalten; die Messung läuft weiter.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show the maintenance windows and which are open.</source>
        <translation>Die Wartungsfenster anzeigen und welche gerade offen sind.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove a maintenance window.</source>
        <translation>Ein Wartungsfenster entfernen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print the console certificate&apos;s fingerprint for agents to pin.</source>
        <translation>Den Fingerabdruck des Konsolenzertifikats ausgeben, den die Agenten fest hinterlegen (Pinning).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Install the agent on hosts over SSH, enroll it with this console and start it.</source>
        <translation>Den Agenten per SSH auf Hosts installieren, bei dieser Konsole registrieren und starten.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Usage: %1 %2 ACTION [options]</source>
        <translation>Aufruf: %1 %2 ACTION [Optionen]</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Actions:</source>
        <translation>Aktionen:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run &apos;%1 %2 ACTION --help&apos; for an action&apos;s options.</source>
        <translation>Die Optionen einer Aktion zeigt &apos;%1 %2 ACTION --help&apos;.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Unknown command &quot;%1&quot;; see &apos;%2 --help&apos;.</source>
        <translation>Unbekannter Befehl &quot;%1&quot;; siehe &apos;%2 --help&apos;.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; needs an action: %1 %2; see &apos;%3 %1 --help&apos;.</source>
        <translation>&quot;%1&quot; braucht eine Aktion: %1 %2; siehe &apos;%3 %1 --help&apos;.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&quot;%1 %2&quot; is not a command; use %1 %3.</source>
        <translation>&quot;%1 %2&quot; ist kein Befehl; verwenden Sie %1 %3.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Commands (run &apos;%1 COMMAND --help&apos; for one&apos;s options):</source>
        <translation>Befehle (die Optionen eines Befehls zeigt &apos;%1 COMMAND --help&apos;):</translation>
    </message>
    <message>
        <location filename="../console/cli/command.cpp" line="+81"/>
        <source>Print JSON instead of a table.</source>
        <translation>JSON statt einer Tabelle ausgeben.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Expected at least %1 arguments after the command; usage: %2</source>
        <translation>Nach dem Befehl werden mindestens %1 Argumente erwartet; Aufruf: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expected %1 argument(s) after the command; usage: %2</source>
        <translation>Nach dem Befehl werden %1 Argument(e) erwartet; Aufruf: %2</translation>
    </message>
    <message>
        <location filename="../console/cli/databaseoptions.cpp" line="-7"/>
        <source>Read the settings from this file instead of %1 (the command line wins).</source>
        <translation>Die Einstellungen aus dieser Datei statt aus %1 lesen (die Befehlszeile hat Vorrang).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Folder for the console&apos;s data.</source>
        <translation>Ordner für die Daten der Konsole.</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../console/cli/reportcommand.cpp" line="+132"/>
        <source>DIR</source>
        <translation>DIR</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Database: sqlite:/path/file.db or postgresql://user:pass@host:port/db.</source>
        <translation>Datenbank: sqlite:/path/file.db oder postgresql://user:pass@host:port/db.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read the database URL from this file (keeps a password off the command line).</source>
        <translation>Die Datenbank-URL aus dieser Datei lesen (so steht kein Passwort in der Befehlszeile).</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Give --db or --db-file, not both.</source>
        <translation>Geben Sie --db oder --db-file an, nicht beides.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 holds no database URL on its first line.</source>
        <translation>%1 enthält in der ersten Zeile keine Datenbank-URL.</translation>
    </message>
    <message>
        <location filename="../console/cli/datacommands.cpp" line="-112"/>
        <location filename="../console/cli/reportcommand.cpp" line="-165"/>
        <source>Only this test.</source>
        <translation>Nur dieser Test.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only this agent.</source>
        <translation>Nur dieser Agent.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start time: ISO 8601, or a duration ago (2h).</source>
        <translation>Startzeit: ISO 8601 oder eine Dauer vor jetzt (2h).</translation>
    </message>
    <message>
        <location filename="../console/cli/alertcommands.cpp" line="-213"/>
        <source>--%1 takes a number, e.g. --%1 20.</source>
        <translation>--%1 erwartet eine Zahl, z. B. --%1 20.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--%1 takes a whole number.</source>
        <translation>--%1 erwartet eine ganze Zahl.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>--%1: %2 Write a time as 2026-12-24T08:00:00Z, now, or +2h from now.</source>
        <translation>--%1: %2 Schreiben Sie eine Zeit als 2026-12-24T08:00:00Z, now oder +2h ab jetzt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>firing</source>
        <translation>ausgelöst</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>acknowledged</source>
        <translation>bestätigt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>silenced</source>
        <translation>stummgeschaltet</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>every %1</source>
        <translation>alle %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The alert&apos;s name.</source>
        <translation>Der Name des Alarms.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The test whose rounds it watches.</source>
        <translation>Der Test, dessen Runden er überwacht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The metric it watches, e.g. ping.loss_pct or http.total_ms.</source>
        <translation>Die Messgröße, die er überwacht, z. B. ping.loss_pct oder http.total_ms.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>METRIC</source>
        <translation>METRIC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A round is bad when the metric is above this.</source>
        <translation>Eine Runde ist schlecht, wenn die Messgröße darüber liegt.</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <location line="+6"/>
        <source>X</source>
        <translation>X</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>A round is bad when the metric is below this.</source>
        <translation>Eine Runde ist schlecht, wenn die Messgröße darunter liegt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many bad rounds make trouble (default 1).</source>
        <translation>Wie viele schlechte Runden ein Problem ergeben (Standard: 1).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Out of how many of the latest rounds (default: as many as --for).</source>
        <translation>Von wie vielen der letzten Runden (Standard: so viele wie --for).</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>M</source>
        <translation>M</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The level the metric must come back to before the alert clears (default: the alert level).</source>
        <translation>Der Wert, auf den die Messgröße zurückkehren muss, bevor der Alarm endet (Standard: die Alarmschwelle).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Whose rounds count: agent names and tag:TAG separated by commas, or all (default).</source>
        <translation>Wessen Runden zählen: Agentennamen und tag:TAG, durch Kommas getrennt, oder all (Standard).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fire only when at least this many agents see the trouble at once (default 1).</source>
        <translation>Nur auslösen, wenn mindestens so viele Agenten das Problem gleichzeitig sehen (Standard: 1).</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>K</source>
        <translation>K</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>info, warning (default) or critical.</source>
        <translation>info, warning (Standard) oder critical.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>S</source>
        <translation>S</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where to send a message when it fires and when it clears: webhook:URL, email:ADDRESS, command:PATH or desktop; repeat for more.</source>
        <translation>Wohin eine Nachricht geht, wenn er auslöst und wenn er endet: webhook:URL, email:ADRESSE, command:PFAD oder desktop; für mehrere wiederholen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>KIND:TARGET</source>
        <translation>KIND:TARGET</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not a metric but something that happens: agent-offline (an agent away for more than a minute; no --test) or route-change (a traceroute test&apos;s agent took another route).</source>
        <translation>Keine Messgröße, sondern ein Ereignis: agent-offline (ein Agent ist länger als eine Minute offline; ohne --test) oder route-change (der Agent eines Traceroute-Tests hat eine andere Route genommen).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>EVENT</source>
        <translation>EVENT</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Judge each round by how much the metric changed since the round before (--above 50: it rose by more than 50).</source>
        <translation>Jede Runde danach beurteilen, wie stark sich die Messgröße seit der vorigen Runde geändert hat (--above 50: sie ist um mehr als 50 gestiegen).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Judge each round by this percentile of the metric over the last --window rounds (e.g. 95).</source>
        <translation>Jede Runde nach diesem Perzentil der Messgröße über die letzten --window Runden beurteilen (z. B. 95).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>P</source>
        <translation>P</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Judge each round by the mean of the last --window rounds against the metric&apos;s usual level, as a ratio (--above 1.5: half as much again as usual).</source>
        <translation>Jede Runde nach dem Mittelwert der letzten --window Runden im Verhältnis zum üblichen Wert der Messgröße beurteilen (--above 1.5: anderthalbmal so viel wie üblich).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rounds for --percentile and --baseline (default 20).</source>
        <translation>Runden für --percentile und --baseline (Standard: 20).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Another alert this one depends on: while that one fires, this one is held and sends nothing.</source>
        <translation>Ein anderer Alarm, von dem dieser abhängt: Solange jener ausgelöst ist, wird dieser zurückgehalten und sendet nichts.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+252"/>
        <source>ALERT</source>
        <translation>ALERT</translation>
    </message>
    <message>
        <location line="-240"/>
        <source>Give either --above X or --below X: when a round counts as bad.</source>
        <translation>Geben Sie entweder --above X oder --below X an: wann eine Runde als schlecht gilt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An alert on %1 has no level; leave --above and --below out.</source>
        <translation>Ein Alarm für %1 hat keine Schwelle; lassen Sie --above und --below weg.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>--severity takes info, warning or critical.</source>
        <translation>--severity erwartet info, warning oder critical.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Give at most one of --change, --percentile and --baseline.</source>
        <translation>Geben Sie höchstens eine der Optionen --change, --percentile und --baseline an.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>--window goes with --percentile or --baseline.</source>
        <translation>--window gehört zu --percentile oder --baseline.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Added alert &quot;%1&quot;: %2.</source>
        <translation>Alarm &quot;%1&quot; hinzugefügt: %2.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It sends no messages; it shows in the console and in &apos;alert list&apos;. Add --notify to be told.</source>
        <translation>Er sendet keine Nachrichten; er erscheint in der Konsole und in &apos;alert list&apos;. Fügen Sie --notify hinzu, um benachrichtigt zu werden.</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+143"/>
        <source>SEVERITY</source>
        <translation>SEVERITY</translation>
    </message>
    <message>
        <location line="-143"/>
        <source>CONDITION</source>
        <translation>CONDITION</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SINCE</source>
        <translation>SINCE</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>What is being done about it.</source>
        <translation>Was dagegen unternommen wird.</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../console/cli/datacommands.cpp" line="+343"/>
        <source>TEXT</source>
        <translation>TEXT</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Acknowledged alert &quot;%1&quot;; it sends nothing more until it clears.</source>
        <translation>Alarm &quot;%1&quot; bestätigt; er sendet nichts mehr, bis er endet.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Removed alert &quot;%1&quot;; its history stays in the event log.</source>
        <translation>Alarm &quot;%1&quot; entfernt; sein Verlauf bleibt im Ereignisprotokoll.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>There is no alert named &quot;%1&quot;; see &apos;alert list&apos;.</source>
        <translation>Es gibt keinen Alarm namens &quot;%1&quot;; siehe &apos;alert list&apos;.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The alert &quot;%1&quot; sends no messages; give it --notify targets first.</source>
        <translation>Der Alarm &quot;%1&quot; sendet keine Nachrichten; geben Sie ihm zuerst Ziele mit --notify.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: shown by the console window&apos;s tray; use the Test button there.</source>
        <translation>%1: wird vom Konsolenfenster im Infobereich angezeigt; verwenden Sie dort die Schaltfläche &quot;Test&quot;.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1: sent.</source>
        <translation>%1: gesendet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: not sent: %2</source>
        <translation>%1: nicht gesendet: %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Since when (ISO 8601, or a duration ago such as 7d; default 30d).</source>
        <translation>Seit wann (ISO 8601 oder eine Dauer zurück wie 7d; Standard: 30d).</translation>
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
        <translation>TIME</translation>
    </message>
    <message>
        <location line="-99"/>
        <location filename="../console/cli/datacommands.cpp" line="-53"/>
        <source>Until when (default now).</source>
        <translation>Bis wann (Standard: jetzt).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At most this many, the newest (default 1000).</source>
        <translation>Höchstens so viele, die neuesten (Standard: 1000).</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>STARTED</source>
        <translation>STARTED</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>LASTED</source>
        <translation>LASTED</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ACKNOWLEDGED</source>
        <translation>ACKNOWLEDGED</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>NOTE</source>
        <translation>NOTE</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>maintenance: %1</source>
        <translation>Wartung: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>held by %1</source>
        <translation>zurückgehalten von %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>shared hop %1</source>
        <translation>gemeinsamer Hop %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> (firing)</source>
        <translation> (ausgelöst)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>after %1 by %2</source>
        <translation>nach %1 von %2</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>%1 times fired; %2 acknowledged, after %3 on average.</source>
        <translation>%1-mal ausgelöst; %2 bestätigt, im Mittel nach %3.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The window&apos;s name.</source>
        <translation>Der Name des Fensters.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When it opens: 2026-12-24T08:00:00Z, now, or +2h.</source>
        <translation>Wann es öffnet: 2026-12-24T08:00:00Z, now oder +2h.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When it closes, written the same way.</source>
        <translation>Wann es schließt, in derselben Schreibweise.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open it again after this long, e.g. 1d or 1w.</source>
        <translation>Nach dieser Dauer erneut öffnen, z. B. 1d oder 1w.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only alerts seen on these agents (names, tag:TAG; default all).</source>
        <translation>Nur Alarme auf diesen Agenten (Namen, tag:TAG; Standard: alle).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only alerts on these tests, separated by commas (default all).</source>
        <translation>Nur Alarme zu diesen Tests, durch Kommas getrennt (Standard: alle).</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Added maintenance window &quot;%1&quot;: %2. Alerts stay silent then; measuring goes on.</source>
        <translation>Wartungsfenster &quot;%1&quot; hinzugefügt: %2. Alarme bleiben dann stumm; die Messung läuft weiter.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>WHEN</source>
        <translation>WHEN</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>OPEN</source>
        <translation>OPEN</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TESTS</source>
        <translation>TESTS</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Removed maintenance window &quot;%1&quot;.</source>
        <translation>Wartungsfenster &quot;%1&quot; entfernt.</translation>
    </message>
    <message>
        <location filename="../console/cli/datacommands.cpp" line="-336"/>
        <source>End time: ISO 8601, or a duration ago.</source>
        <translation>Endzeit: ISO 8601 oder eine Dauer vor jetzt.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--from %1 (%2) is not earlier than --to %3 (%4), so no time lies between them; give the earlier time to --from.</source>
        <translation>--from %1 (%2) liegt nicht vor --to %3 (%4), also liegt keine Zeit dazwischen; geben Sie die frühere Zeit bei --from an.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>There is no test named &quot;%1&quot;; see &apos;%2 test list&apos;.</source>
        <translation>Es gibt keinen Test namens &quot;%1&quot;; siehe &apos;%2 test list&apos;.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>There is no agent named &quot;%1&quot;; see &apos;%2 agent list&apos;.</source>
        <translation>Es gibt keinen Agenten namens &quot;%1&quot;; siehe &apos;%2 agent list&apos;.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>--%1 &quot;%2&quot; is not a length of time to keep data; write days, weeks or years (30d, 8w, 1y) or 0 to keep it for ever.</source>
        <translation>--%1 „%2“ ist keine Aufbewahrungsdauer; schreiben Sie Tage, Wochen oder Jahre (30d, 8w, 1y) oder 0, um die Daten für immer zu behalten.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>for ever</source>
        <translation>für immer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a year</source>
        <translation>ein Jahr</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 years</source>
        <translation>%1 Jahre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a day</source>
        <translation>einen Tag</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 days</source>
        <translation>%1 Tage</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>csv or json.</source>
        <translation>csv oder json.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>FORMAT</source>
        <translation>FORMAT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write to this file instead of standard output.</source>
        <translation>In diese Datei statt auf die Standardausgabe schreiben.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>raw (every sample, the default), 1m or 1h (per minute or per hour: count, mean, lowest, highest, and percentiles of latencies).</source>
        <translation>raw (jeder Messwert, Standard), 1m oder 1h (pro Minute oder Stunde: Anzahl, Mittelwert, kleinster und größter Wert sowie Perzentile der Latenzen).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RES</source>
        <translation>AUFLÖSUNG</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>--format must be csv or json.</source>
        <translation>--format muss csv oder json sein.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--resolution must be raw, 1m or 1h.</source>
        <translation>--resolution muss raw, 1m oder 1h sein.</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+80"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="-76"/>
        <source>Cannot write to standard output.</source>
        <translation>Auf die Standardausgabe kann nicht geschrieben werden.</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Writing the export failed (disk full?).</source>
        <translation>Das Schreiben des Exports ist fehlgeschlagen (Datenträger voll?).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wrote %1 samples to %2.</source>
        <translation>%1 Messwerte in %2 geschrieben.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrote %1 rollups (%2) to %3.</source>
        <translation>%1 Zusammenfassungen (%2) nach %3 geschrieben.</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Agents: %1   Samples stored: %2   Database: %3</source>
        <translation>Agenten: %1   Gespeicherte Messwerte: %2   Datenbank: %3</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Since when: ISO 8601, or a duration ago such as 7d.</source>
        <translation>Seit wann: ISO 8601 oder eine Dauer zurück wie 7d.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only events of these kinds, e.g. alert-fired,agent-offline.</source>
        <translation>Nur Ereignisse dieser Arten, z. B. alert-fired,agent-offline.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KINDS</source>
        <translation>KINDS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only events of this agent.</source>
        <translation>Nur Ereignisse dieses Agenten.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only events of this test.</source>
        <translation>Nur Ereignisse dieses Tests.</translation>
    </message>
    <message>
        <location filename="../console/cli/alertcommands.cpp" line="-442"/>
        <location line="+146"/>
        <location filename="../console/cli/datacommands.cpp" line="-65"/>
        <source>TEST</source>
        <translation>TEST</translation>
    </message>
    <message>
        <location filename="../console/cli/datacommands.cpp" line="+0"/>
        <source>ROUNDS</source>
        <translation>ROUNDS</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>RTT MIN ms</source>
        <translation>RTT MIN ms</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>RTT AVG ms</source>
        <translation>RTT AVG ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RTT MAX ms</source>
        <translation>RTT MAX ms</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>LOSS %</source>
        <translation>LOSS %</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Keep every sample this long (default 30d).</source>
        <translation>Jeden Messwert so lange behalten (Standard 30d).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the rollups per minute this long (default 1y).</source>
        <translation>Die Zusammenfassungen pro Minute so lange behalten (Standard 1y).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the rollups per hour this long (default 5y).</source>
        <translation>Die Zusammenfassungen pro Stunde so lange behalten (Standard 5y).</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Every sample is kept %1, the rollups per minute %2 and per hour %3.</source>
        <translation>Jeder Messwert wird %1 behalten, die Zusammenfassungen pro Minute %2 und pro Stunde %3.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Older data is removed in the background by the running console.</source>
        <translation>Ältere Daten entfernt die laufende Konsole im Hintergrund.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>How many of the newest events (default 50).</source>
        <translation>Wie viele der neuesten Ereignisse (Standard: 50).</translation>
    </message>
    <message>
        <location filename="../console/cli/alertcommands.cpp" line="+131"/>
        <location filename="../console/cli/datacommands.cpp" line="+16"/>
        <source>--limit must be a whole number from 1 to 100000.</source>
        <translation>--limit muss eine ganze Zahl von 1 bis 100000 sein.</translation>
    </message>
    <message>
        <location filename="../console/cli/datacommands.cpp" line="-9"/>
        <location line="+48"/>
        <source>LEVEL</source>
        <translation>LEVEL</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>Only events of this level: info, warning or error.</source>
        <translation>Nur Ereignisse dieser Stufe: info, warning oder error.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only events whose message holds this text (any case).</source>
        <translation>Nur Ereignisse, deren Meldung diesen Text enthält (Groß-/Kleinschreibung egal).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write CSV (time,level,kind,agent,test,message) instead of a table.</source>
        <translation>CSV (time,level,kind,agent,test,message) statt einer Tabelle ausgeben.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>--level takes info, warning or error.</source>
        <translation>--level erwartet info, warning oder error.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give --csv or --json, not both.</source>
        <translation>Geben Sie --csv oder --json an, nicht beides.</translation>
    </message>
    <message>
        <location line="+29"/>
        <location filename="../console/cli/reportcommand.cpp" line="-37"/>
        <source>KIND</source>
        <translation>KIND</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MESSAGE</source>
        <translation>MESSAGE</translation>
    </message>
    <message>
        <location filename="../console/cli/deploycommand.cpp" line="-54"/>
        <source>%1 is new to this computer. Its %2 key is
  %3
Compare it with what the host&apos;s owner gives you. Trust it and go on? (yes/no) </source>
        <translation>%1 ist diesem Computer noch unbekannt. Sein %2-Schlüssel ist
  %3
Vergleichen Sie ihn mit dem, den Ihnen der Besitzer des Hosts nennt. Vertrauen und fortfahren? (yes/no) </translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 (%2 %)</source>
        <translation>%1 (%2 %)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A host to install the agent on: HOST, USER@HOST or USER@HOST:PORT (repeat for more).</source>
        <translation>Ein Host, auf dem der Agent installiert wird: HOST, USER@HOST oder USER@HOST:PORT (für mehrere wiederholen).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hosts from a file, one per line: host[,port[,user[,agent name]]].</source>
        <translation>Hosts aus einer Datei, einer pro Zeile: host[,port[,user[,agent name]]].</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SSH port (default 22).</source>
        <translation>SSH-Port (Standard: 22).</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PORT</source>
        <translation>PORT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User to log in as (default: you).</source>
        <translation>Benutzer für die Anmeldung (Standard: Ihr eigener).</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>USER</source>
        <translation>USER</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent&apos;s name in the console (one host only; default: the host&apos;s name).</source>
        <translation>Name des Agenten in der Konsole (nur bei einem Host; Standard: der Name des Hosts).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Log in with this private key (default: your SSH agent).</source>
        <translation>Mit diesem privaten Schlüssel anmelden (Standard: Ihr SSH-Agent).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ask for the password (for the login when there is no key, and for sudo).</source>
        <translation>Nach dem Passwort fragen (für die Anmeldung ohne Schlüssel und für sudo).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read that password from the first line of standard input.</source>
        <translation>Dieses Passwort aus der ersten Zeile der Standardeingabe lesen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Host keys to check against (default ~/.ssh/known_hosts).</source>
        <translation>Host-Schlüssel, gegen die geprüft wird (Standard: ~/.ssh/known_hosts).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trust and record the key of a host seen for the first time without asking. A changed key is always refused.</source>
        <translation>Dem Schlüssel eines erstmals gesehenen Hosts ohne Nachfrage vertrauen und ihn speichern. Ein geänderter Schlüssel wird immer abgelehnt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The console&apos;s address as the agents reach it (default: this computer&apos;s name and the listen port).</source>
        <translation>Die Adresse der Konsole, wie die Agenten sie erreichen (Standard: der Name dieses Computers und der Listen-Port).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HOST:PORT</source>
        <translation>HOST:PORT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The agent&apos;s .deb package (cpack -G DEB makes it).</source>
        <translation>Das .deb-Paket des Agenten (erstellt mit cpack -G DEB).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How long to wait for each agent to come online (default 60s).</source>
        <translation>Wie lange darauf gewartet wird, dass jeder Agent online kommt (Standard: 60s).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The console certificate&apos;s fingerprint for the agents to pin (default: of the certificate this console uses).</source>
        <translation>Der Fingerabdruck des Konsolenzertifikats, den die Agenten fest hinterlegen (Standard: der des Zertifikats, das diese Konsole verwendet).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SHA256</source>
        <translation>SHA256</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>--fingerprint &quot;%1&quot; is not a SHA-256 fingerprint; copy it from &apos;streamswarm-console fingerprint&apos; (sha256:ab:cd:...).</source>
        <translation>--fingerprint &quot;%1&quot; ist kein SHA-256-Fingerabdruck; kopieren Sie ihn aus &apos;streamswarm-console fingerprint&apos; (sha256:ab:cd:...).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--port must be a number from 1 to 65535.</source>
        <translation>--port muss eine Zahl von 1 bis 65535 sein.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Name the hosts: --host HOST (repeat for more) or --hosts-file FILE.</source>
        <translation>Geben Sie die Hosts an: --host HOST (für mehrere wiederholen) oder --hosts-file FILE.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--name is for one --host; name several agents in a --hosts-file.</source>
        <translation>--name gilt für einen einzelnen --host; mehrere Agenten benennen Sie in einer Datei für --hosts-file.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>--key %1: no such file.</source>
        <translation>--key %1: Datei nicht gefunden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not read the password from standard input.</source>
        <translation>Das Passwort konnte nicht von der Standardeingabe gelesen werden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Password: </source>
        <translation>Passwort: </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--ask-password needs a terminal to ask on; use --password-stdin.</source>
        <translation>--ask-password braucht ein Terminal für die Abfrage; verwenden Sie --password-stdin.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give the agent&apos;s package with --package FILE (make it with cpack -G DEB in the build folder).</source>
        <translation>Geben Sie das Paket des Agenten mit --package FILE an (erstellen Sie es mit cpack -G DEB im Build-Ordner).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>--wait must be a duration from 1s to 1h, like 90s.</source>
        <translation>--wait muss eine Dauer von 1s bis 1h sein, etwa 90s.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>%1 of %2 host(s) deployed.</source>
        <translation>Auf %1 von %2 Host(s) installiert.</translation>
    </message>
    <message>
        <location filename="../console/cli/testcommands.cpp" line="-11"/>
        <source>Host name or address to test; for %1 also agent:NAME, another agent (started with --stamp-port) reached at the address its connection comes from; for %2 with method=agent, agent:NAME, which serves each round while the console gives the two a turn. Types that measure the agent&apos;s own host (%3) take none.</source>
        <translation>Zu testender Hostname oder zu testende Adresse; bei %1 auch agent:NAME, ein anderer Agent (gestartet mit --stamp-port), der unter der Adresse erreicht wird, von der seine Verbindung kommt; bei %2 mit method=agent: agent:NAME, ein Agent, der in jeder Runde als Gegenstelle dient, während die Konsole beiden ein Zeitfenster zuteilt. Typen, die den eigenen Host des Agenten messen (%3), brauchen kein Ziel.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+245"/>
        <source>TARGET</source>
        <translation>TARGET</translation>
    </message>
    <message>
        <location line="-244"/>
        <source>Time between rounds (default 1s).</source>
        <translation>Zeit zwischen den Runden (Standard: 1s).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How long the test runs (default 60s).</source>
        <translation>Wie lange der Test läuft (Standard: 60s).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run until stopped.</source>
        <translation>Laufen, bis er gestoppt wird.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When the test starts: ISO 8601 (2026-12-24T08:00:00Z), or +DURATION from now (+2h). Default: now.</source>
        <translation>Wann der Test beginnt: ISO 8601 (2026-12-24T08:00:00Z) oder +DURATION ab jetzt (+2h). Standard: jetzt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Who runs the test: agent names and tag:TAG (every agent with that tag, also later ones), separated by commas; or all.</source>
        <translation>Wer den Test ausführt: Agentennamen und tag:TAG (jeder Agent mit diesem Tag, auch spätere), durch Kommas getrennt; oder all.</translation>
    </message>
    <message>
        <location filename="../console/cli/alertcommands.cpp" line="-264"/>
        <location line="+352"/>
        <location line="+2"/>
        <location filename="../console/cli/testcommands.cpp" line="+2"/>
        <source>LIST</source>
        <translation>LIST</translation>
    </message>
    <message>
        <location filename="../console/cli/testcommands.cpp" line="+1"/>
        <source>A test parameter; repeat for more.</source>
        <translation>Ein Testparameter; für mehrere wiederholen.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KEY=VALUE</source>
        <translation>KEY=VALUE</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>--agents: &quot;all&quot; already means every agent; give it alone.</source>
        <translation>--agents: &quot;all&quot; steht bereits für alle Agenten; geben Sie es allein an.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--agents names no agent; give names or tag:TAG separated by commas, or all.</source>
        <translation>--agents nennt keinen Agenten; geben Sie Namen oder tag:TAG durch Kommas getrennt an, oder all.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Give either --duration or --continuous, not both.</source>
        <translation>Geben Sie entweder --duration oder --continuous an, nicht beides.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>--duration must be longer than zero; use --continuous to run until stopped.</source>
        <translation>--duration muss größer als null sein; verwenden Sie --continuous, damit der Test läuft, bis er gestoppt wird.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>--param &quot;%1&quot; must look like key=value.</source>
        <translation>--param &quot;%1&quot; muss die Form key=value haben.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>deleted</source>
        <translation>gelöscht</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No agent has the tag &quot;%1&quot; yet; the test starts on agents as they get it (agent tag NAME %1).</source>
        <translation>Noch kein Agent hat das Tag &quot;%1&quot;; der Test startet auf den Agenten, sobald sie es erhalten (agent tag NAME %1).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Test types and their parameters (--param KEY=VALUE):</source>
        <translation>Testtypen und ihre Parameter (--param KEY=VALUE):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Test name.</source>
        <translation>Name des Tests.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test type: %1.</source>
        <translation>Typ des Tests: %1.</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+95"/>
        <source>TYPE</source>
        <translation>TYPE</translation>
    </message>
    <message>
        <location filename="../console/cli/alertcommands.cpp" line="-321"/>
        <location line="+326"/>
        <location filename="../console/cli/testcommands.cpp" line="-87"/>
        <source>--%1 is required.</source>
        <translation>--%1 ist erforderlich.</translation>
    </message>
    <message>
        <location filename="../console/cli/testcommands.cpp" line="+20"/>
        <source>Added test &quot;%1&quot;: %2 %3 every %4, %5, on %6.</source>
        <translation>Test &quot;%1&quot; hinzugefügt: %2 %3 alle %4, %5, Agenten: %6.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>for %1</source>
        <translation>für %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>until stopped</source>
        <translation>bis zum Stoppen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all agents</source>
        <translation>alle Agenten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It starts at %1.</source>
        <translation>Er startet am %1.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The agent &quot;%1&quot; is not connected now; the test waits until it connects.</source>
        <translation>Der Agent &quot;%1&quot; ist gerade nicht verbunden; der Test wartet, bis er sich verbindet.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A new name for the test.</source>
        <translation>Ein neuer Name für den Test.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove a test parameter (back to its default); repeat for more.</source>
        <translation>Einen Testparameter entfernen (zurück auf den Standardwert); für mehrere wiederholen.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KEY</source>
        <translation>KEY</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>There is no test named &quot;%1&quot;; see &apos;test list&apos;.</source>
        <translation>Es gibt keinen Test namens &quot;%1&quot;; siehe &apos;test list&apos;.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Changed test &quot;%1&quot;; the agents that run it have the new definition within a second.</source>
        <translation>Test &quot;%1&quot; geändert; die Agenten, die ihn ausführen, haben die neue Definition innerhalb einer Sekunde.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Also the tests deleted with their measurements kept, under the name they are kept as.</source>
        <translation>Auch gelöschte Tests, deren Messungen aufbewahrt wurden, unter dem Namen, unter dem sie aufbewahrt werden.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>INTERVAL</source>
        <translation>INTERVAL</translation>
    </message>
    <message>
        <location filename="../console/cli/alertcommands.cpp" line="-225"/>
        <location line="+142"/>
        <location line="+131"/>
        <location filename="../console/cli/testcommands.cpp" line="+1"/>
        <source>AGENTS</source>
        <translation>AGENTS</translation>
    </message>
    <message>
        <location filename="../console/cli/testcommands.cpp" line="+3"/>
        <source>continuous</source>
        <translation>fortlaufend</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Stopped test &quot;%1&quot;.</source>
        <translation>Test &quot;%1&quot; gestoppt.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Paused test &quot;%1&quot;; resume it with &apos;test resume %1&apos;.</source>
        <translation>Test &quot;%1&quot; pausiert; setzen Sie ihn mit &apos;test resume %1&apos; fort.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Resumed test &quot;%1&quot;.</source>
        <translation>Test &quot;%1&quot; fortgesetzt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Keep the test&apos;s measurements, under a name of their own.</source>
        <translation>Die Messungen des Tests unter einem eigenen Namen aufbewahren.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the test&apos;s measurements too.</source>
        <translation>Die Messungen des Tests ebenfalls löschen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Say what happens to the measurements of &quot;%1&quot;: --keep-data keeps them (under a new name, for export and charts), --delete-data deletes them too.</source>
        <translation>Geben Sie an, was mit den Messungen von &quot;%1&quot; geschehen soll: --keep-data bewahrt sie auf (unter einem neuen Namen, für Export und Diagramme), --delete-data löscht sie mit.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Deleted test &quot;%1&quot;; its measurements are kept as &quot;%2&quot;.</source>
        <translation>Test &quot;%1&quot; gelöscht; seine Messungen werden als &quot;%2&quot; aufbewahrt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deleted test &quot;%1&quot; and its measurements.</source>
        <translation>Test &quot;%1&quot; und seine Messungen gelöscht.</translation>
    </message>
    <message>
        <location filename="../console/cli/reportcommand.cpp" line="+34"/>
        <source>The PDF file to write.</source>
        <translation>Die zu schreibende PDF-Datei.</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>executive (the default), engineering or evidence.</source>
        <translation>executive (Standard), engineering oder evidence.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Start time: ISO 8601, or a duration ago (7d). Default: 7 days before --to.</source>
        <translation>Startzeit: ISO 8601 oder eine Dauer zurück (7d). Standard: 7 Tage vor --to.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>End time: ISO 8601, or a duration ago. Default: now.</source>
        <translation>Endzeit: ISO 8601 oder eine Dauer zurück. Standard: jetzt.</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Only this agent, or tag:TAG for the agents that carry a tag.</source>
        <translation>Nur dieser Agent, oder tag:TAG für die Agenten mit einem Tag.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a4 (the default) or letter.</source>
        <translation>a4 (Standard) oder letter.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SIZE</source>
        <translation>SIZE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lay the pages out wide.</source>
        <translation>Die Seiten im Querformat anlegen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name on every page&apos;s header. Default: this computer&apos;s name.</source>
        <translation>Der Name in der Kopfzeile jeder Seite. Standard: der Name dieses Computers.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency target (default 100ms).</source>
        <translation>Latenz-Zielwert (Standard: 100ms).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Highest acceptable packet loss in percent (default 1).</source>
        <translation>Höchster akzeptabler Paketverlust in Prozent (Standard: 1).</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>PERCENT</source>
        <translation>PERCENT</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Lowest acceptable availability in percent (default 99.9).</source>
        <translation>Niedrigste akzeptable Verfügbarkeit in Prozent (Standard: 99.9).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>--%1 must be a percentage from 0 to 100, not &quot;%2&quot;.</source>
        <translation>--%1 muss ein Prozentwert von 0 bis 100 sein, nicht &quot;%2&quot;.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>--template must be executive, engineering or evidence, not &quot;%1&quot;.</source>
        <translation>--template muss executive, engineering oder evidence sein, nicht &quot;%1&quot;.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>An evidence report is about one incident: give its start with --from and its end with --to.</source>
        <translation>Ein Nachweisbericht (evidence) betrifft einen einzelnen Vorfall: Geben Sie seinen Beginn mit --from und sein Ende mit --to an.</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>The schedule&apos;s name; also the start of its files&apos; names.</source>
        <translation>Der Name des Zeitplans; zugleich der Anfang der Dateinamen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>daily, weekly (Monday to Monday) or monthly.</source>
        <translation>daily, weekly (Montag bis Montag) oder monthly.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PERIOD</source>
        <translation>ZEITRAUM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where the PDF files go (a full path).</source>
        <translation>Wohin die PDF-Dateien geschrieben werden (ein vollständiger Pfad).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Also print each report on this printer (CUPS).</source>
        <translation>Jeden Bericht außerdem auf diesem Drucker ausgeben (CUPS).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>--every must be daily, weekly or monthly, not &quot;%1&quot;.</source>
        <translation>--every muss daily, weekly oder monthly sein, nicht &quot;%1&quot;.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Scheduled &quot;%1&quot; %2; the first report is made after %3, while a console or collector runs.</source>
        <translation>&quot;%1&quot; wird %2 erstellt; der erste Bericht entsteht nach %3, sofern eine Konsole oder ein Collector läuft.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>EVERY</source>
        <translation>HÄUFIGKEIT</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TEMPLATE</source>
        <translation>VORLAGE</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>FOLDER</source>
        <translation>ORDNER</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PRINTER</source>
        <translation>DRUCKER</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NEXT REPORT AFTER</source>
        <translation>NÄCHSTER BERICHT NACH</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Removed the scheduled report &quot;%1&quot;; the reports already written stay.</source>
        <translation>Der geplante Bericht &quot;%1&quot; wurde entfernt; bereits geschriebene Berichte bleiben erhalten.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Make a report after every day, week or month, into a folder.</source>
        <translation>Nach jedem Tag, jeder Woche oder jedem Monat einen Bericht in einen Ordner schreiben.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show the scheduled reports.</source>
        <translation>Die geplanten Berichte anzeigen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stop making a scheduled report.</source>
        <translation>Einen geplanten Bericht nicht mehr erstellen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&quot;report schedule&quot; needs an action: add, list or remove; see &apos;%1 schedule add --help&apos;.</source>
        <translation>&quot;report schedule&quot; braucht eine Aktion: add, list oder remove; siehe &apos;%1 schedule add --help&apos;.</translation>
    </message>
    <message>
        <location line="-205"/>
        <source>--paper must be a4 or letter, not &quot;%1&quot;.</source>
        <translation>--paper muss a4 oder letter sein, nicht &quot;%1&quot;.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Say where to write the report with --out FILE.pdf.</source>
        <translation>Geben Sie mit --out FILE.pdf an, wohin der Bericht geschrieben werden soll.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot write the report to %1: the folder %2 does not exist.</source>
        <translation>Der Bericht kann nicht nach %1 geschrieben werden: Der Ordner %2 existiert nicht.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The report was written, but its checksum could not be kept in the event log: %1</source>
        <translation>Der Bericht wurde geschrieben, aber seine Prüfsumme konnte nicht im Ereignisprotokoll gespeichert werden: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Wrote %1 (%2 pages). Data checksum (SHA-256): %3</source>
        <translation>%1 geschrieben (%2 Seiten). Prüfsumme der Daten (SHA-256): %3</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Note: nothing was measured in this period for the tests and agents chosen; the report says so.</source>
        <translation>Hinweis: Für die gewählten Tests und Agenten wurde in diesem Zeitraum nichts gemessen; der Bericht weist darauf hin.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Database</name>
    <message>
        <location filename="../console/storage/database.cpp" line="+79"/>
        <source>The database address &quot;sqlite:&quot; names no file; write sqlite:/path/to/file.db.</source>
        <translation>Die Datenbankadresse &quot;sqlite:&quot; nennt keine Datei; schreiben Sie sqlite:/path/to/file.db.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The database address is not a valid PostgreSQL URL; write postgresql://user:password@host:5432/dbname.</source>
        <translation>Die Datenbankadresse ist keine gültige PostgreSQL-URL; schreiben Sie postgresql://user:password@host:5432/dbname.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The database address must start with sqlite: or postgresql://.</source>
        <translation>Die Datenbankadresse muss mit sqlite: oder postgresql:// beginnen.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The database path %1 is not a file.</source>
        <translation>Der Datenbankpfad %1 ist keine Datei.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The database file %1 is read-only; make it writable or use another with --db.</source>
        <translation>Die Datenbankdatei %1 ist schreibgeschützt; machen Sie sie beschreibbar oder verwenden Sie mit --db eine andere.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The Qt SQL driver for %1 is not installed (package libqt6sql6-sqlite or libqt6sql6-psql).</source>
        <translation>Der Qt-SQL-Treiber für %1 ist nicht installiert (Paket libqt6sql6-sqlite oder libqt6sql6-psql).</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+17"/>
        <source>Cannot open the database %1: %2.</source>
        <translation>Die Datenbank %1 kann nicht geöffnet werden: %2.</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>PostgreSQL at %1 refused the password for user &quot;%2&quot;; check the password in --db or --db-file.</source>
        <translation>PostgreSQL auf %1 hat das Passwort für den Benutzer „%2“ abgelehnt; prüfen Sie das Passwort in --db oder --db-file.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PostgreSQL at %1 has no database named &quot;%2&quot;; create it (createdb -O %3 %2) or fix the name.</source>
        <translation>PostgreSQL auf %1 hat keine Datenbank namens „%2“; legen Sie sie an (createdb -O %3 %2) oder korrigieren Sie den Namen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PostgreSQL at %1 has no user named &quot;%2&quot;; create it (createuser -P %2) or fix the name.</source>
        <translation>PostgreSQL auf %1 hat keinen Benutzer namens „%2“; legen Sie ihn an (createuser -P %2) oder korrigieren Sie den Namen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nothing answers as PostgreSQL at %1; check that the server runs and that the host and port are right (%2).</source>
        <translation>Unter %1 antwortet kein PostgreSQL; prüfen Sie, ob der Server läuft und Rechner und Port stimmen (%2).</translation>
    </message>
    <message>
        <location line="+113"/>
        <source> Check that the file and its folder are writable.</source>
        <translation> Prüfen Sie, ob die Datei und ihr Ordner beschreibbar sind.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> Another program holds the database; try again in a moment.</source>
        <translation> Ein anderes Programm belegt die Datenbank; versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> The disk is full; free some space.</source>
        <translation> Der Datenträger ist voll; geben Sie Speicherplatz frei.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The database %1 failed: %2.%3</source>
        <translation>Fehler in der Datenbank %1: %2.%3</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The database file %1 is gone.</source>
        <translation>Die Datenbankdatei %1 ist verschwunden.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Delivery</name>
    <message>
        <location filename="../console/alerts/delivery.cpp" line="+83"/>
        <source>Desktop notifications are shown by the console window, not sent.</source>
        <translation>Desktop-Benachrichtigungen zeigt das Konsolenfenster an; sie werden nicht gesendet.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The webhook URL %1 is not an http or https URL with a host.</source>
        <translation>Die Webhook-URL %1 ist keine http- oder https-URL mit einem Host.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not prepare the request to the webhook at %1 (out of memory?).</source>
        <translation>Die Anfrage an den Webhook unter %1 konnte nicht vorbereitet werden (kein Speicher mehr?).</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The webhook URL %1 cannot be used: %2.</source>
        <translation>Die Webhook-URL %1 kann nicht verwendet werden: %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The webhook at %1 has a certificate this console does not trust (%2): give the right URL, or install its authority&apos;s certificate on this host.</source>
        <translation>Der Webhook unter %1 hat ein Zertifikat, dem diese Konsole nicht vertraut (%2): Geben Sie die richtige URL an oder installieren Sie das Zertifikat seiner Zertifizierungsstelle auf diesem Host.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../console/alerts/emaildelivery.cpp" line="+265"/>
        <source>The certificate authority file %1 cannot be read: %2.</source>
        <translation>Die Datei der Zertifizierungsstelle %1 kann nicht gelesen werden: %2.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The webhook at %1 did not answer within %2 s.</source>
        <translation>Der Webhook unter %1 hat nicht innerhalb von %2 s geantwortet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The request to the webhook at %1 was stopped: the console is shutting down.</source>
        <translation>Die Anfrage an den Webhook unter %1 wurde abgebrochen: Die Konsole wird beendet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not reach the webhook at %1: %2.</source>
        <translation>Der Webhook unter %1 ist nicht erreichbar: %2.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The webhook at %1 answered HTTP %2.</source>
        <translation>Der Webhook unter %1 antwortete mit HTTP %2.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>another address</source>
        <translation>eine andere Adresse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The webhook at %1 answered HTTP %2, a redirect to %3: give the final URL in the alert&apos;s --notify.</source>
        <translation>Der Webhook unter %1 antwortete mit HTTP %2, einer Weiterleitung auf %3: Geben Sie im --notify des Alarms die endgültige URL an.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The webhook at %1 refused the notification with HTTP %2: check the URL and what the receiver expects.</source>
        <translation>Der Webhook unter %1 hat die Benachrichtigung mit HTTP %2 abgelehnt: Prüfen Sie die URL und was der Empfänger erwartet.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The command %1 does not exist: install it there or change the alert&apos;s --notify command:PATH.</source>
        <translation>Der Befehl %1 existiert nicht: Installieren Sie ihn dort oder ändern Sie das --notify command:PFAD des Alarms.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is a folder, not a program: give the program&apos;s path in command:PATH.</source>
        <translation>%1 ist ein Ordner, kein Programm: Geben Sie den Pfad des Programms in command:PFAD an.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The command %1 is not executable: allow it to run (chmod +x) for the console&apos;s user.</source>
        <translation>Der Befehl %1 ist nicht ausführbar: Erlauben Sie dem Benutzer der Konsole, ihn auszuführen (chmod +x).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The command %1 could not be started: %2.</source>
        <translation>Der Befehl %1 konnte nicht gestartet werden: %2.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The command %1 was stopped: the console is shutting down.</source>
        <translation>Der Befehl %1 wurde abgebrochen: Die Konsole wird beendet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The command %1 did not finish within %2 s and was stopped.</source>
        <translation>Der Befehl %1 war nach %2 s nicht fertig und wurde abgebrochen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The command %1 crashed.</source>
        <translation>Der Befehl %1 ist abgestürzt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The command %1 crashed: %2</source>
        <translation>Der Befehl %1 ist abgestürzt: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The command %1 ended with exit code %2.</source>
        <translation>Der Befehl %1 endete mit dem Exit-Code %2.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The command %1 ended with exit code %2: %3</source>
        <translation>Der Befehl %1 endete mit dem Exit-Code %2: %3</translation>
    </message>
    <message>
        <location filename="../console/alerts/emaildelivery.cpp" line="-61"/>
        <source>&quot;%1&quot; is not an e-mail address: give email:NAME@DOMAIN.</source>
        <translation>&quot;%1&quot; ist keine E-Mail-Adresse: Geben Sie email:NAME@DOMAIN an.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not prepare the mail to %1 (out of memory?).</source>
        <translation>Die E-Mail an %1 konnte nicht vorbereitet werden (kein Speicher mehr?).</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The mail server %1 refused the login of &quot;%2&quot;: check the mail user and password in the console&apos;s settings.</source>
        <translation>Der Mailserver %1 hat die Anmeldung von &quot;%2&quot; abgelehnt: Prüfen Sie Mail-Benutzer und Passwort in den Einstellungen der Konsole.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The mail server %1 offers no login method the console can use for &quot;%2&quot; (%3).</source>
        <translation>Der Mailserver %1 bietet kein Anmeldeverfahren an, das die Konsole für &quot;%2&quot; verwenden kann (%3).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The mail server %1 does not offer STARTTLS, and the console sends mail only encrypted: use smtps://HOST:PORT or a server with STARTTLS, or allow plain SMTP in the console&apos;s settings.</source>
        <translation>Der Mailserver %1 bietet kein STARTTLS an, und die Konsole sendet E-Mails nur verschlüsselt: Verwenden Sie smtps://HOST:PORT oder einen Server mit STARTTLS, oder erlauben Sie unverschlüsseltes SMTP in den Einstellungen der Konsole.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The mail server %1 has a certificate this console does not trust (%2): give its authority&apos;s certificate in the mail settings, or the server&apos;s right name.</source>
        <translation>Der Mailserver %1 hat ein Zertifikat, dem diese Konsole nicht vertraut (%2): Geben Sie in den Mail-Einstellungen das Zertifikat seiner Zertifizierungsstelle oder den richtigen Namen des Servers an.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The mail server URL %1 cannot be used: %2.</source>
        <translation>Die Mailserver-URL %1 kann nicht verwendet werden: %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The mail server %1 did not take the message within %2 s.</source>
        <translation>Der Mailserver %1 hat die Nachricht nicht innerhalb von %2 s angenommen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The mail to %1 was stopped: the console is shutting down.</source>
        <translation>Die E-Mail an %1 wurde abgebrochen: Die Konsole wird beendet.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The mail server %1 refused the message to %2 with %3 (%4).</source>
        <translation>Der Mailserver %1 hat die Nachricht an %2 mit %3 abgelehnt (%4).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The mail server %1 asked to try the message to %2 again later with %3 (%4).</source>
        <translation>Der Mailserver %1 hat mit %3 gebeten, die Nachricht an %2 später erneut zu senden (%4).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not send the mail to %1 through %2: %3.</source>
        <translation>Die E-Mail an %1 konnte nicht über %2 gesendet werden: %3.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::DeployDialog</name>
    <message>
        <location filename="../console/ui/deploydialog.cpp" line="+83"/>
        <source>Install agents over SSH</source>
        <translation>Agenten per SSH installieren</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The agent&apos;s package is copied to each host, installed with sudo, and started. Each host gets its own single-use enrollment token, so it appears under Agents by itself.</source>
        <translation>Das Paket des Agenten wird auf jeden Host kopiert, mit sudo installiert und gestartet. Jeder Host erhält ein eigenes Einmal-Registrierungs-Token und erscheint so von selbst unter Agenten.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Agent name</source>
        <translation>Agentenname</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty: the user in &quot;Log in as&quot; below</source>
        <translation>Leer: der Benutzer unter &quot;Anmelden als&quot; weiter unten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty: the host&apos;s own name</source>
        <translation>Leer: der eigene Name des Hosts</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Add host</source>
        <translation>Host &amp;hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Import CSV…</source>
        <translation>CSV im&amp;portieren…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Your SSH agent</source>
        <translation>Ihr SSH-Agent</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A private key file</source>
        <translation>Eine private Schlüsseldatei</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A password</source>
        <translation>Ein Passwort</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+11"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>For the login, or for sudo when it asks; never stored</source>
        <translation>Für die Anmeldung oder für sudo, falls es danach fragt; wird nie gespeichert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>~/.ssh/known_hosts</source>
        <translation>~/.ssh/known_hosts</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Log in as:</source>
        <translation>Anmelden als:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in with:</source>
        <translation>Anmelden mit:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key file:</source>
        <translation>Schlüsseldatei:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Known hosts file:</source>
        <translation>Known-Hosts-Datei:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent package (.deb):</source>
        <translation>Agentenpaket (.deb):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agents connect to:</source>
        <translation>Agenten verbinden sich mit:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Install</source>
        <translation>&amp;Installieren</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Select a host to see what happened there.</source>
        <translation>Wählen Sie einen Host aus, um zu sehen, was dort passiert ist.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Cancel this host</source>
        <translation>Für diesen Host a&amp;bbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel &amp;all</source>
        <translation>&amp;Alle abbrechen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Back</source>
        <translation>&amp;Zurück</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+51"/>
        <location line="+8"/>
        <source>Import hosts</source>
        <translation>Hosts importieren</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Host lists (*.csv *.txt);;All files (*)</source>
        <translation>Hostlisten (*.csv *.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Private key</source>
        <translation>Privater Schlüssel</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Agent package</source>
        <translation>Agentenpaket</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Debian packages (*.deb);;All files (*)</source>
        <translation>Debian-Pakete (*.deb);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>For the login and for sudo; never stored</source>
        <translation>Für die Anmeldung und für sudo; wird nie gespeichert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only if sudo asks for one; never stored</source>
        <translation>Nur, falls sudo danach fragt; wird nie gespeichert</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Row %1: the port must be a number from 1 to 65535.</source>
        <translation>Zeile %1: Der Port muss eine Zahl von 1 bis 65535 sein.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Row %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add at least one host.</source>
        <translation>Fügen Sie mindestens einen Host hinzu.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Choose the private key file to log in with.</source>
        <translation>Wählen Sie die private Schlüsseldatei für die Anmeldung.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type the password to log in with.</source>
        <translation>Geben Sie das Passwort für die Anmeldung ein.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose the agent&apos;s package (a .deb file made with cpack -G DEB).</source>
        <translation>Wählen Sie das Paket des Agenten (eine mit cpack -G DEB erstellte .deb-Datei).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Agents connect to an address like wss://console.example.net:8765.</source>
        <translation>Agenten verbinden sich mit einer Adresse wie wss://console.example.net:8765.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>New host</source>
        <translation>Neuer Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 is new to this computer. Its %2 key has the fingerprint

%3

Compare it with what the host&apos;s owner gives you (ssh-keygen -lf /etc/ssh/ssh_host_%4_key.pub on the host). Trust this host and go on?</source>
        <translation>%1 ist diesem Computer noch unbekannt. Sein %2-Schlüssel hat den Fingerabdruck

%3

Vergleichen Sie ihn mit dem, den Ihnen der Besitzer des Hosts nennt (ssh-keygen -lf /etc/ssh/ssh_host_%4_key.pub auf dem Host). Diesem Host vertrauen und fortfahren?</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Stop installing?</source>
        <translation>Installation abbrechen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Installing is still under way. Stop it? Hosts where the install has begun finish it on their own.</source>
        <translation>Die Installation läuft noch. Abbrechen? Auf Hosts, auf denen die Installation schon begonnen hat, wird sie von selbst zu Ende geführt.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::DeployJob</name>
    <message>
        <location filename="../console/deploy/deployjob.cpp" line="+46"/>
        <source>Could not read the package %1: %2</source>
        <translation>Das Paket %1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is not a Debian package (.deb).</source>
        <translation>%1 ist kein Debian-Paket (.deb).</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Cancelled; nothing was installed.</source>
        <translation>Abgebrochen; es wurde nichts installiert.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Connecting</source>
        <translation>Verbindung wird aufgebaut</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 is new to this computer: its %2 key is %3. Nothing was done. If that is the key its owner gives you, accept it (--accept-new-host-key, or answer yes when asked).</source>
        <translation>%1 ist diesem Computer noch unbekannt: Sein %2-Schlüssel ist %3. Es wurde nichts unternommen. Wenn das der Schlüssel ist, den Ihnen der Besitzer nennt, akzeptieren Sie ihn (--accept-new-host-key, oder antworten Sie auf die Frage mit yes).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>WARNING: %1 shows another host key than the one on record (now %2 %3). Someone may be pretending to be this host, or it was reinstalled. Nothing was done. If you know why it changed, remove the old key (%4) and try again.</source>
        <translation>WARNUNG: %1 zeigt einen anderen Host-Schlüssel als den gespeicherten (jetzt %2 %3). Möglicherweise gibt sich jemand als dieser Host aus, oder er wurde neu installiert. Es wurde nichts unternommen. Wenn Sie wissen, warum er sich geändert hat, entfernen Sie den alten Schlüssel (%4) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Checking the host</source>
        <translation>Host wird geprüft</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>agent name</source>
        <translation>Agentenname</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 calls itself &quot;%2&quot;, which cannot be an agent&apos;s name (letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;). Give it a name (--name, or the hosts file&apos;s fourth column).</source>
        <translation>%1 nennt sich &quot;%2&quot;, was kein gültiger Agentenname ist (Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; und &apos;-&apos;). Geben Sie ihm einen Namen (--name oder die vierte Spalte der Hosts-Datei).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not look around on %1: %2</source>
        <translation>%1 konnte nicht untersucht werden: %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 has no dpkg and apt-get, so it is not a Debian or Ubuntu host. Install the agent there from the .tar.gz instead.</source>
        <translation>%1 hat weder dpkg noch apt-get, ist also kein Debian- oder Ubuntu-Host. Installieren Sie den Agenten dort stattdessen aus dem .tar.gz.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 has no sudo, and %2 is not root: deploy as root, or install sudo there.</source>
        <translation>%1 hat kein sudo, und %2 ist nicht root: Installieren Sie als root, oder installieren Sie dort sudo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 needs a password for sudo on %2. Give it (--ask-password or --password-stdin), or deploy as a user with password-less sudo.</source>
        <translation>%1 braucht auf %2 ein Passwort für sudo. Geben Sie es an (--ask-password oder --password-stdin), oder installieren Sie als Benutzer mit sudo ohne Passwort.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 may not use sudo on %2. Nothing was installed. Deploy as a user who may (or as root), or ask the host&apos;s administrator.</source>
        <translation>%1 darf auf %2 kein sudo verwenden. Es wurde nichts installiert. Installieren Sie als Benutzer, der es darf (oder als root), oder fragen Sie den Administrator des Hosts.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sudo on %1 did not accept the password for %2. Nothing was installed.</source>
        <translation>sudo auf %1 hat das Passwort für %2 nicht angenommen. Es wurde nichts installiert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sudo failed on %1: %2</source>
        <translation>sudo ist auf %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Copying the package</source>
        <translation>Paket wird kopiert</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not make a private folder in /tmp on %1: %2</source>
        <translation>Auf %1 konnte in /tmp kein privater Ordner angelegt werden: %2</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Installing</source>
        <translation>Wird installiert</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The connection to %1 was lost before the install began. Nothing was installed.</source>
        <translation>Die Verbindung zu %1 ging verloren, bevor die Installation begann. Es wurde nichts installiert.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Stopped waiting. The install on %1 had begun and finishes there on its own; deploy again to see how it went.</source>
        <translation>Warten abgebrochen. Die Installation auf %1 hatte begonnen und wird dort von selbst abgeschlossen; installieren Sie erneut, um das Ergebnis zu sehen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The connection to %1 was lost during the install. It finishes there on its own; deploy again to see how it went.</source>
        <translation>Die Verbindung zu %1 ging während der Installation verloren. Sie wird dort von selbst abgeschlossen; installieren Sie erneut, um das Ergebnis zu sehen.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Installing %1</source>
        <translation>%1 wird installiert</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Starting (the host&apos;s own settings are kept)</source>
        <translation>Wird gestartet (die eigenen Einstellungen des Hosts bleiben erhalten)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting</source>
        <translation>Wird gestartet</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The package arrived damaged on %1. Nothing was installed; try again.</source>
        <translation>Das Paket kam beschädigt auf %1 an. Es wurde nichts installiert; versuchen Sie es erneut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The package is not a Debian package. Nothing was installed.</source>
        <translation>Das Paket ist kein Debian-Paket. Es wurde nichts installiert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The package is for %1, but %2 is %3. Nothing was installed; use the agent package built for %3.</source>
        <translation>Das Paket ist für %1, aber %2 ist %3. Es wurde nichts installiert; verwenden Sie das für %3 gebaute Agentenpaket.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>apt-get could not install the package on %1; nothing was changed. Its last lines:</source>
        <translation>apt-get konnte das Paket auf %1 nicht installieren; es wurde nichts geändert. Die letzten Zeilen der Ausgabe:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The package is installed on %1, but its settings could not be written.</source>
        <translation>Das Paket ist auf %1 installiert, aber seine Einstellungen konnten nicht geschrieben werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent is installed on %1 but did not start:</source>
        <translation>Der Agent ist auf %1 installiert, ist aber nicht gestartet:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent started on %1 but stopped at once. Its log:</source>
        <translation>Der Agent wurde auf %1 gestartet, hat sich aber sofort wieder beendet. Sein Protokoll:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The install on %1 did not finish (sudo or the shell refused it).</source>
        <translation>Die Installation auf %1 wurde nicht abgeschlossen (sudo oder die Shell hat sie abgelehnt).</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::DeployTargets</name>
    <message>
        <location filename="../console/deploy/deploytargets.cpp" line="+59"/>
        <source>&quot;%1&quot; opens a [ for an IPv6 address but does not close it.</source>
        <translation>&quot;%1&quot; öffnet mit [ eine IPv6-Adresse, schließt sie aber nicht.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot;: after [address] comes :port or nothing.</source>
        <translation>&quot;%1&quot;: Nach [Adresse] folgt :Port oder nichts.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;%1&quot;: the port must be a number from 1 to 65535.</source>
        <translation>&quot;%1&quot;: Der Port muss eine Zahl von 1 bis 65535 sein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&quot;%1&quot; is not a host name or IP address.</source>
        <translation>&quot;%1&quot; ist weder ein Hostname noch eine IP-Adresse.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No user for %1: give --user or write user@host.</source>
        <translation>Kein Benutzer für %1: Geben Sie --user an oder schreiben Sie user@host.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;%1&quot; is not a user name.</source>
        <translation>&quot;%1&quot; ist kein Benutzername.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>agent name</source>
        <translation>Agentenname</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Could not read the hosts file %1: %2</source>
        <translation>Die Hosts-Datei %1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The hosts file %1 is larger than 1 MB; split it.</source>
        <translation>Die Hosts-Datei %1 ist größer als 1 MB; teilen Sie sie auf.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1, line %2: %3</source>
        <translation>%1, Zeile %2: %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>expected host,port,user,name but found %1 fields.</source>
        <translation>erwartet wurde host,port,user,name, gefunden wurden aber %1 Felder.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the port &quot;%1&quot; must be a number from 1 to 65535.</source>
        <translation>der Port &quot;%1&quot; muss eine Zahl von 1 bis 65535 sein.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>more than %1 hosts; split the file.</source>
        <translation>mehr als %1 Hosts; teilen Sie die Datei auf.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The hosts file %1 names no host.</source>
        <translation>Die Hosts-Datei %1 nennt keinen Host.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Deployment</name>
    <message>
        <location filename="../console/deploy/deployment.cpp" line="+36"/>
        <source>Installed %1</source>
        <translation>%1 installiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Installed %1 again</source>
        <translation>%1 erneut installiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Upgraded %1 to %2</source>
        <translation>%1 auf %2 aktualisiert</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Waiting for its turn</source>
        <translation>In der Warteschlange</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Making an enrollment token</source>
        <translation>Registrierungs-Token wird erstellt</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Could not make an enrollment token: %1</source>
        <translation>Registrierungs-Token konnte nicht erstellt werden: %1</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>systemd</source>
        <translation>systemd</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>its init script</source>
        <translation>sein Init-Skript</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1, started by %2; waiting for agent %3 to come back</source>
        <translation>%1, gestartet über %2; warten, bis Agent %3 wieder online ist</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, started by %2; waiting for agent %3 to enroll</source>
        <translation>%1, gestartet über %2; warten, bis sich Agent %3 registriert</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1; agent %2 is online, on its own settings and credential</source>
        <translation>%1; Agent %2 ist online, mit seinen bisherigen Einstellungen und Zugangsdaten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1; agent %2 enrolled and is online</source>
        <translation>%1; Agent %2 ist registriert und online</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The agent is installed and running, but %1 did not come online within %2 s. Can the host reach %3? Its log on the host: /var/log/streamswarm-agent.log, or journalctl -u streamswarm-agent.</source>
        <translation>Der Agent ist installiert und läuft, aber %1 ist nicht innerhalb von %2 s online gekommen. Kann der Host %3 erreichen? Sein Protokoll auf dem Host: /var/log/streamswarm-agent.log oder journalctl -u streamswarm-agent.</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+6"/>
        <source>Cancelled before it began.</source>
        <translation>Vor dem Beginn abgebrochen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopped waiting; the agent is installed and may still come online.</source>
        <translation>Warten abgebrochen; der Agent ist installiert und kann noch online kommen.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::DeploymentModel</name>
    <message>
        <location filename="../console/ui/deploymentmodel.cpp" line="+70"/>
        <source>%1: %2 %</source>
        <translation>%1: %2 %</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::DetailModel</name>
    <message>
        <location filename="../console/models/detailmodel.cpp" line="+45"/>
        <source>temperatures</source>
        <translation>Temperaturen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fans</source>
        <translation>Lüfter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU power</source>
        <translation>CPU-Leistungsaufnahme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>batteries</source>
        <translation>Akkus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>memory errors</source>
        <translation>Speicherfehler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>drive health</source>
        <translation>Laufwerkszustand</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Certificate</source>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Issued by</source>
        <translation>Ausgestellt von</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Valid from</source>
        <translation>Gültig ab</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Valid until</source>
        <translation>Gültig bis</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Names</source>
        <translation>Namen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Subject: %1
Issuer: %2
Serial: %3
SHA-256: %4</source>
        <translation>Inhaber: %1
Aussteller: %2
Seriennummer: %3
SHA-256: %4</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>ALPN %1</source>
        <translation>ALPN %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 port %2</source>
        <translation>%1 Port %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 with %2. The certificate is trusted.</source>
        <translation>%1 mit %2. Das Zertifikat ist vertrauenswürdig.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 with %2. The certificate is not trusted: %3.</source>
        <translation>%1 mit %2. Das Zertifikat ist nicht vertrauenswürdig: %3.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>over TCP after a truncated UDP answer</source>
        <translation>über TCP nach einer gekürzten UDP-Antwort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>over UDP</source>
        <translation>über UDP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>over TCP</source>
        <translation>über TCP</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 %2: no answer from %3 (asked %4 times %5).</source>
        <translation>%1 %2: keine Antwort von %3 (%4-mal %5 gefragt).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 %2: %3 from %4 %5, %6 record(s)%7.</source>
        <translation>%1 %2: %3 von %4 %5, Einträge: %6%7.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, authoritative</source>
        <translation>, autoritativ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TTL</source>
        <translation>TTL</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>HTTP/%1 %2 from %3 port %4</source>
        <translation>HTTP/%1 %2 von %3 Port %4</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No answer from %1</source>
        <translation>Keine Antwort von %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>redirects followed: %1, to %2</source>
        <translation>gefolgte Weiterleitungen: %1, zu %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The certificate is trusted.</source>
        <translation>Das Zertifikat ist vertrauenswürdig.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate is not trusted: %1.</source>
        <translation>Das Zertifikat ist nicht vertrauenswürdig: %1.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Battery %1: %2.</source>
        <translation>Akku %1: %2.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+11"/>
        <location line="+68"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="-77"/>
        <source>Not available: %1.</source>
        <translation>Nicht verfügbar: %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Drive</source>
        <translation>Laufwerk</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Serial number</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Health</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not reported</source>
        <translation>nicht gemeldet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>passed</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>FAILING: back up its data and replace it</source>
        <translation>FEHLERHAFT: Sichern Sie seine Daten und ersetzen Sie es</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connected to %1 port %2.</source>
        <translation>Verbunden mit %1 Port %2.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The host</source>
        <translation>Der Host</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: every part of the reading was available.</source>
        <translation>%1: Alle Werte konnten gelesen werden.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: some parts could not be read; their figures are missing.</source>
        <translation>%1: Einige Werte konnten nicht gelesen werden und fehlen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not available</source>
        <translation>Nicht verfügbar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 call, a %2 ms frame per packet of %3 bytes, DSCP %4; codec values Ie %5, Bpl %6%7.</source>
        <translation>%1-Anruf, ein Frame von %2 ms pro Paket mit %3 Bytes, DSCP %4; Codec-Werte Ie %5, Bpl %6%7.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> (ITU-T G.113)</source>
        <translation> (ITU-T G.113)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (not published by the ITU; G.711&apos;s are used)</source>
        <translation> (nicht von der ITU veröffentlicht; die Werte von G.711 werden verwendet)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Half the round trip stands in for each one-way delay: %1.</source>
        <translation>Als Einwegverzögerung dient jeweils die halbe Umlaufzeit: %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Direction</source>
        <translation>Richtung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Lost</source>
        <translation>Verloren</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+91"/>
        <source>Jitter</source>
        <translation>Jitter</translation>
    </message>
    <message>
        <location line="-91"/>
        <source>Network delay</source>
        <translation>Netzwerkverzögerung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mouth to ear</source>
        <translation>Mund zu Ohr</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>R</source>
        <translation>R</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MOS</source>
        <translation>MOS</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+87"/>
        <source>%1 of %2 (%3 %)</source>
        <translation>%1 von %2 (%3 %)</translation>
    </message>
    <message>
        <location line="-86"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+79"/>
        <location line="+7"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="-87"/>
        <source>%1 ms (half the round trip)</source>
        <translation>%1 ms (halbe Umlaufzeit)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delay impairment Id %1, effective equipment impairment Ie,eff %2, burst ratio %3</source>
        <translation>Verzögerungsbeeinträchtigung Id %1, effektive Gerätebeeinträchtigung Ie,eff %2, Burst-Ratio %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>There (this agent speaks)</source>
        <translation>Hin (dieser Agent spricht)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Back (the peer speaks)</source>
        <translation>Zurück (die Gegenstelle spricht)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing came back, so the call could not be rated.</source>
        <translation>Es kam nichts zurück, daher konnte der Anruf nicht bewertet werden.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Speed test at %1</source>
        <translation>Speedtest bei %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 to %2 port %3</source>
        <translation>%1 zu %2 Port %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, %2, %3 s measured</source>
        <translation>%1, %2, %3 s gemessen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 stream</source>
        <translation>1 Stream</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 streams</source>
        <translation>%1 Streams</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>after %1 s of warm-up</source>
        <translation>nach %1 s Aufwärmphase</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server sending</source>
        <translation>der Server sendet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>this agent sending</source>
        <translation>dieser Agent sendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 per stream</source>
        <translation>%1 pro Stream</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>DSCP %1</source>
        <translation>DSCP %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Measured with %1.</source>
        <translation>Gemessen mit %1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It waited %1 s for another bandwidth test on this agent to end.</source>
        <translation>Es wurde %1 s gewartet, bis ein anderer Bandbreitentest auf diesem Agenten beendet war.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Figure</source>
        <translation>Kennzahl</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+71"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location line="-64"/>
        <source>Download</source>
        <translation>Download</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Upload</source>
        <translation>Upload</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+17"/>
        <source>%1 Mbit/s (%2 in %3 s)</source>
        <translation>%1 Mbit/s (%2 in %3 s)</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>%1, second %2</source>
        <translation>%1, Sekunde %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+32"/>
        <location line="+39"/>
        <location line="+2"/>
        <source>%1 Mbit/s</source>
        <translation>%1 Mbit/s</translation>
    </message>
    <message>
        <location line="-70"/>
        <location line="+4"/>
        <source>Nothing was measured.</source>
        <translation>Es wurde nichts gemessen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Arrived</source>
        <translation>Angekommen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 Mbit/s (%2)</source>
        <translation>%1 Mbit/s (%2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TCP retransmissions</source>
        <translation>TCP-Neuübertragungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Round trip (TCP&apos;s smoothed RTT)</source>
        <translation>Umlaufzeit (geglättete RTT von TCP)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Congestion control</source>
        <translation>Überlastkontrolle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Datagrams lost</source>
        <translation>Verlorene Datagramme</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>CPU used here</source>
        <translation>CPU-Auslastung hier</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <location line="+39"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>CPU used at the server</source>
        <translation>CPU-Auslastung beim Server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Second %1</source>
        <translation>Sekunde %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>a hidden network</source>
        <translation>einem versteckten Netzwerk</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&quot;%1&quot;</source>
        <translation>&quot;%1&quot;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not connected to a Wi-Fi network.</source>
        <translation>%1 ist mit keinem WLAN verbunden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is connected to %2 through access point %3 on channel %4.</source>
        <translation>%1 ist über Access Point %3 auf Kanal %4 mit %2 verbunden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is connected to %2 through access point %3.</source>
        <translation>%1 ist über Access Point %3 mit %2 verbunden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It moved here from access point %1 since the round before.</source>
        <translation>Seit der vorigen Runde von Access Point %1 hierher gewechselt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reading</source>
        <translation>Messwert</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Frequency</source>
        <translation>Frequenz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 MHz, %2 MHz wide</source>
        <translation>%1 MHz, %2 MHz breit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 MHz</source>
        <translation>%1 MHz</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Signal readings</source>
        <translation>Signalmesswerte</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <location line="+8"/>
        <source>%1 dBm</source>
        <translation>%1 dBm</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>In the order they were taken</source>
        <translation>In der Reihenfolge der Messung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Noise</source>
        <translation>Rauschen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Link quality</source>
        <translation>Verbindungsqualität</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sending rate</source>
        <translation>Senderate</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Receiving rate</source>
        <translation>Empfangsrate</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Transmit power</source>
        <translation>Sendeleistung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Interface address</source>
        <translation>Schnittstellenadresse</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::EventPane</name>
    <message>
        <location filename="../console/ui/eventpane.cpp" line="+39"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>info</source>
        <translation>Info</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::FileMenu</name>
    <message>
        <location filename="../console/ui/reportdialog.cpp" line="+418"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Report…</source>
        <translation>&amp;Bericht…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A PDF or printed report for managers, engineers or a provider</source>
        <translation>Ein PDF- oder gedruckter Bericht für Führungskräfte, Techniker oder einen Provider</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::HeadlessCollector</name>
    <message>
        <location filename="../console/server/headlesscollector.cpp" line="+50"/>
        <source>StreamSwarm console listening on %1 (agents dial --server %1)</source>
        <translation>StreamSwarm-Konsole lauscht auf %1 (Agenten verbinden sich mit --server %1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Plain ws:// (--insecure): agents&apos; credentials cross the network unencrypted.</source>
        <translation>Unverschlüsseltes ws:// (--insecure): Die Zugangsdaten der Agenten gehen unverschlüsselt über das Netzwerk.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificate fingerprint (agents pin it with --fingerprint): %1</source>
        <translation>Fingerabdruck des Zertifikats (Agenten pinnen ihn mit --fingerprint): %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prometheus metrics at %1</source>
        <translation>Prometheus-Metriken unter %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stopping by itself after %1; press Ctrl+C to stop sooner.</source>
        <translation>Beendet sich nach %1 von selbst; drücken Sie Strg+C, um früher zu beenden.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 of %2 agents online, %3 samples stored since start.</source>
        <translation>%1 von %2 Agenten online, %3 Messwerte seit dem Start gespeichert.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Stopped: %1 samples stored in this run, from %2 agent(s).</source>
        <translation>Beendet: %1 Messwerte in diesem Lauf gespeichert, von %2 Agent(en).</translation>
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
        <translation>System</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wireless</source>
        <translation>WLAN</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Hardware</source>
        <translation>Hardware</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1 d %2 h</source>
        <translation>%1 d %2 h</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KiB</source>
        <translation>KiB</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GiB</source>
        <translation>GiB</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TiB</source>
        <translation>TiB</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>B/s</source>
        <translation>B/s</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>kB/s</source>
        <translation>kB/s</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>MB/s</source>
        <translation>MB/s</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GB/s</source>
        <translation>GB/s</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>up</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>down</source>
        <translation>inaktiv</translation>
    </message>
    <message>
        <location line="+9"/>
        <source> /s</source>
        <translation> /s</translation>
    </message>
    <message>
        <location line="+143"/>
        <source>Family</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Metric</source>
        <translation>Messgröße</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Of</source>
        <translation>Instanz</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Now</source>
        <translation>Aktuell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recent</source>
        <translation>Verlauf</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::HostWindow</name>
    <message>
        <location filename="../console/ui/hostwindow.cpp" line="+92"/>
        <source>Host of %1 - StreamSwarm</source>
        <translation>Host von %1 - StreamSwarm</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The host of agent %1</source>
        <translation>Der Host des Agenten %1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Loading the last ten minutes...</source>
        <translation>Die letzten zehn Minuten werden geladen...</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not read the history: %1</source>
        <translation>Der Verlauf konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>No figures of this host yet. Add a system, wireless or hardware test for this agent (Tests &gt; Add test), and they appear here within a round.</source>
        <translation>Noch keine Werte dieses Hosts. Fügen Sie für diesen Agenten einen System-, WLAN- oder Hardware-Test hinzu (Tests &gt; Test hinzufügen), dann erscheinen sie hier innerhalb eines Durchlaufs.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 figures. Hover over a name for what it means.</source>
        <translation>%1 Werte. Zeigen Sie mit der Maus auf einen Namen, um seine Bedeutung zu sehen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Needs attention: %1 in red, %2 in amber.</source>
        <translation>Handlungsbedarf: %1 rot, %2 gelb.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::LanguageMenu</name>
    <message>
        <location filename="../console/ui/languagemenu.cpp" line="+14"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The console uses %1 from its next start.</source>
        <translation>Die Konsole verwendet %1 ab dem nächsten Start.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The system&apos;s language</source>
        <translation>Sprache des Systems</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::LinkMeasure</name>
    <message>
        <location filename="../console/ui/mapitems.cpp" line="+119"/>
        <location line="+15"/>
        <source>no data yet</source>
        <translation>noch keine Daten</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>no recent rounds</source>
        <translation>keine aktuellen Runden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>round failed</source>
        <translation>Runde fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 ms · %2 % loss</source>
        <translation>%1 ms · %2 % Verlust</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 % loss</source>
        <translation>%1 % Verlust</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ListTable</name>
    <message>
        <location filename="../console/ui/listwidgets.cpp" line="+62"/>
        <source>Show all columns</source>
        <translation>Alle Spalten zeigen</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::LiveChart</name>
    <message>
        <location filename="../console/ui/charts/livechart.cpp" line="+52"/>
        <source>Last 5 minutes</source>
        <translation>Letzte 5 Minuten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 15 minutes</source>
        <translation>Letzte 15 Minuten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 6 hours</source>
        <translation>Letzte 6 Stunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Custom…</source>
        <translation>Eigener Zeitraum…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How much time the chart shows</source>
        <translation>Welchen Zeitraum das Diagramm zeigt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Which class the chart shows</source>
        <translation>Welche Klasse das Diagramm zeigt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Follow live</source>
        <translation>Live folgen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keep the newest rounds in view. Dragging or zooming the chart stops following; double-click the chart to follow again.</source>
        <translation>Die neuesten Durchläufe im Blick behalten. Verschieben oder Zoomen des Diagramms beendet das Folgen; ein Doppelklick auf das Diagramm folgt wieder.</translation>
    </message>
    <message>
        <location line="+34"/>
        <location line="+163"/>
        <source>RTT (ms)</source>
        <translation>RTT (ms)</translation>
    </message>
    <message>
        <location line="-159"/>
        <source>Loss (%)</source>
        <translation>Verlust (%)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Packet loss</source>
        <translation>Paketverlust</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Min–max RTT</source>
        <translation>RTT min.–max.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Average RTT</source>
        <translation>Mittlere RTT</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Bandwidth test running</source>
        <translation>Bandbreitentest läuft</translation>
    </message>
    <message>
        <location line="+252"/>
        <location line="+66"/>
        <source>No data yet</source>
        <translation>Noch keine Daten</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>Class %1</source>
        <translation>Klasse %1</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>&amp;Save chart as…</source>
        <translation>Diagramm &amp;speichern unter…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Copy chart</source>
        <translation>Diagramm &amp;kopieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Follow live</source>
        <translation>&amp;Live folgen</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MainWindow</name>
    <message>
        <location filename="../console/ui/mainwindow.cpp" line="+103"/>
        <source>StreamSwarm Console</source>
        <translation>StreamSwarm Console</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Chart</source>
        <translation>&amp;Diagramm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Results</source>
        <translation>&amp;Ergebnisse</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+211"/>
        <source>&amp;Path history</source>
        <translation>&amp;Pfadverlauf</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Summary</source>
        <translation>Ü&amp;bersicht</translation>
    </message>
    <message>
        <location line="-214"/>
        <source>S&amp;ummary</source>
        <translation>Ü&amp;bersicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;lerts</source>
        <translation>A&amp;larme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Map</source>
        <translation>&amp;Karte</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>&amp;Agents</source>
        <translation>&amp;Agenten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Enrollment tokens…</source>
        <translation>&amp;Registrierungstoken…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Install agents over SSH…</source>
        <translation>Agenten über SSH &amp;installieren…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Host of the selected agent</source>
        <translation>&amp;Host des ausgewählten Agenten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CPU, memory, disks, interfaces, Wi-Fi and hardware of the agent&apos;s own host</source>
        <translation>CPU, Arbeitsspeicher, Datenträger, Schnittstellen, WLAN und Hardware des eigenen Hosts des Agenten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Console &amp;certificate…</source>
        <translation>Konsolen&amp;zertifikat…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Tests</source>
        <translation>&amp;Tests</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Add test…</source>
        <translation>Test &amp;hinzufügen…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About StreamSwarm Console</source>
        <translation>&amp;Über StreamSwarm Console</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Agents</source>
        <translation>Agenten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tests</source>
        <translation>Tests</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Main toolbar</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>C&amp;hart</source>
        <translation>Dia&amp;gramm</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Results table</source>
        <translation>&amp;Ergebnistabelle</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Reset &amp;layout</source>
        <translation>&amp;Anordnung zurücksetzen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shows every pane again where it was at the first start</source>
        <translation>Zeigt jeden Bereich wieder dort, wo er beim ersten Start war</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Path (newest round)</source>
        <translation>Pfad (neuester Durchlauf)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Newest round</source>
        <translation>Neuester Durchlauf</translation>
    </message>
    <message>
        <location line="-150"/>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <location line="+256"/>
        <source>Select an agent first, then show its host.</source>
        <translation>Wählen Sie zuerst einen Agenten aus, dann zeigen Sie seinen Host an.</translation>
    </message>
    <message>
        <location filename="../console/ui/certificatebox.cpp" line="+21"/>
        <source>Console certificate</source>
        <translation>Konsolenzertifikat</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This console was started with --insecure: agents connect with plain ws:// and their credentials cross the network unencrypted.</source>
        <translation>Diese Konsole wurde mit --insecure gestartet: Agenten verbinden sich über unverschlüsseltes ws://, und ihre Zugangsdaten gehen unverschlüsselt über das Netzwerk.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Agents check this fingerprint of the console&apos;s certificate. Give it to them with --fingerprint, or compare it with the one an agent trusted on first use.</source>
        <translation>Agenten prüfen diesen Fingerabdruck des Konsolenzertifikats. Geben Sie ihn ihnen mit --fingerprint mit, oder vergleichen Sie ihn mit dem, dem ein Agent bei der ersten Verbindung vertraut hat.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../console/ui/mainwindow.cpp" line="+157"/>
        <source>No agents yet. Once an agent enrolls, its measurements appear here.</source>
        <translation>Noch keine Agenten. Sobald sich ein Agent registriert, erscheinen seine Messwerte hier.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose an agent on the left.</source>
        <translation>Wählen Sie links einen Agenten aus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 runs no tests yet.</source>
        <translation>%1 führt noch keine Tests aus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>There is no live chart for %1, a %2 test; export its results to see them.</source>
        <translation>Für %1, einen Test vom Typ %2, gibt es kein Live-Diagramm; exportieren Sie seine Ergebnisse, um sie zu sehen.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Could not read the history: %1</source>
        <translation>Der Verlauf konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>No data yet</source>
        <translation>Noch keine Daten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No data in this time span</source>
        <translation>Keine Daten in diesem Zeitraum</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>&lt;b&gt;No agent chosen&lt;/b&gt;</source>
        <translation>&lt;b&gt;Kein Agent ausgewählt&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>(offline)</source>
        <translation>(offline)</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MaintenanceDialog</name>
    <message>
        <location filename="../console/ui/maintenancedialog.cpp" line="+46"/>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Maintenance windows</source>
        <translation>Wartungsfenster</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>When</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open now</source>
        <translation>Jetzt offen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Agents</source>
        <translation>Agenten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tests</source>
        <translation>Tests</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>e.g. nightly-backup</source>
        <translation>z. B. backup-nachts</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Once</source>
        <translation>Einmal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every day</source>
        <translation>Jeden Tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every week</source>
        <translation>Jede Woche</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>all agents; or names and tag:TAG, separated by commas</source>
        <translation>alle Agenten; oder Namen und tag:TAG, durch Kommas getrennt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>all tests; or test names, separated by commas</source>
        <translation>alle Tests; oder Testnamen, durch Kommas getrennt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;From:</source>
        <translation>&amp;Von:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;To:</source>
        <translation>&amp;Bis:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;peat:</source>
        <translation>&amp;Wiederholung:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;gents:</source>
        <translation>A&amp;genten:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T&amp;ests:</source>
        <translation>&amp;Tests:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add window</source>
        <translation>Fenster &amp;hinzufügen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Alerts that fire inside a window are recorded as silenced and send nothing; measuring goes on. Times are your computer&apos;s.</source>
        <translation>Alarme, die innerhalb eines Fensters auslösen, werden als stummgeschaltet erfasst und senden nichts; die Messung läuft weiter. Die Zeiten sind die Ortszeit Ihres Computers.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, every day</source>
        <translation>%1, täglich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, every week</source>
        <translation>%1, wöchentlich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, every %2 h</source>
        <translation>%1, alle %2 h</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No maintenance window yet.</source>
        <translation>Noch kein Wartungsfenster.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Give the window a name.</source>
        <translation>Geben Sie dem Fenster einen Namen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The window must end after it starts.</source>
        <translation>Das Fenster muss nach seinem Beginn enden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A window that comes again every day must be shorter than a day.</source>
        <translation>Ein Fenster, das sich täglich wiederholt, muss kürzer als ein Tag sein.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A window that comes again every week must be shorter than a week.</source>
        <translation>Ein Fenster, das sich wöchentlich wiederholt, muss kürzer als eine Woche sein.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Added the maintenance window &quot;%1&quot;. Alerts stay silent then; measuring goes on.</source>
        <translation>Wartungsfenster &quot;%1&quot; hinzugefügt. Alarme bleiben dann stumm; die Messung läuft weiter.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Removed the maintenance window &quot;%1&quot;.</source>
        <translation>Wartungsfenster &quot;%1&quot; entfernt.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MaintenanceWindow</name>
    <message>
        <location filename="../console/alerts/maintenancewindow.cpp" line="+60"/>
        <source>maintenance window name</source>
        <translation>Name des Wartungsfensters</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The window must end after it starts: give --to later than --from.</source>
        <translation>Das Fenster muss nach seinem Beginn enden: Geben Sie bei --to eine spätere Zeit als bei --from an.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--every must be at least an hour (e.g. 1d or 1w).</source>
        <translation>--every muss mindestens eine Stunde sein (z. B. 1d oder 1w).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The window is as long as its repetition or longer, so it would never close; make it shorter than --every.</source>
        <translation>Das Fenster ist so lang wie seine Wiederholung oder länger und würde daher nie schließen; machen Sie es kürzer als --every.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>test name</source>
        <translation>Testname</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MapLinkItem</name>
    <message numerus="yes">
        <location filename="../console/ui/mapitems.cpp" line="+330"/>
        <source>and %n more</source>
        <translation>
            <numerusform>und %n weiterer</numerusform>
            <numerusform>und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no data yet</source>
        <translation>noch keine Daten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1, %2: %3</source>
        <translation>%1, %2: %3</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MapNodeItem</name>
    <message>
        <location line="-229"/>
        <source>Agent, online</source>
        <translation>Agent, online</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Agent, offline</source>
        <translation>Agent, offline</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Router on a traced path</source>
        <translation>Router auf einem verfolgten Pfad</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alerts: %1</source>
        <translation>Alarme: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drag to move it; the map keeps where you put it.</source>
        <translation>Zum Verschieben ziehen; die Karte merkt sich die Position.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>alert silenced</source>
        <translation>Alarm stummgeschaltet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>acknowledged</source>
        <translation>bestätigt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>alert firing</source>
        <translation>Alarm ausgelöst</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>offline</source>
        <translation>offline</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MapPane</name>
    <message>
        <location filename="../console/ui/mappane.cpp" line="+83"/>
        <source>Remove background</source>
        <translation>Hintergrund entfernen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Agents on the left, the routers of their traced paths in between (by hop), targets on the right. Moves everything on the map.</source>
        <translation>Agenten links, die Router ihrer verfolgten Pfade dazwischen (nach Hop), Ziele rechts. Verschiebt alles auf der Karte.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Background picture…</source>
        <translation>Hinter&amp;grundbild…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A PNG or JPEG picture under the map, such as a floor plan or a site diagram</source>
        <translation>Ein PNG- oder JPEG-Bild unter der Karte, etwa ein Grundriss oder ein Lageplan</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Lay &amp;out from paths</source>
        <translation>Nach Pfaden an&amp;ordnen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>F&amp;it</source>
        <translation>E&amp;inpassen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shows the whole map (turn the wheel to zoom, drag the background to move around)</source>
        <translation>Zeigt die ganze Karte (Mausrad drehen zum Zoomen, Hintergrund ziehen zum Verschieben)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Drag agents and targets to where they belong; every console sees the same map.</source>
        <translation>Ziehen Sie Agenten und Ziele an ihren Platz; jede Konsole sieht dieselbe Karte.</translation>
    </message>
    <message>
        <location line="+127"/>
        <source>Could not read the latest rounds: %1</source>
        <translation>Die neuesten Runden konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Could not read a traced path: %1</source>
        <translation>Ein verfolgter Pfad konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Reading the newest traced paths…</source>
        <translation>Die neuesten verfolgten Pfade werden gelesen…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Laid out from the newest traced paths.</source>
        <translation>Nach den neuesten verfolgten Pfaden angeordnet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No traced paths yet (add a traceroute test to see the routers between): agents on the left, targets on the right.</source>
        <translation>Noch keine verfolgten Pfade (fügen Sie einen Traceroute-Test hinzu, um die Router dazwischen zu sehen): Agenten links, Ziele rechts.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Could not save the map: %1</source>
        <translation>Die Karte konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Could not read the map: %1</source>
        <translation>Die Karte konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The map&apos;s background picture cannot be shown: it is not a PNG or JPEG picture.</source>
        <translation>Das Hintergrundbild der Karte kann nicht angezeigt werden: Es ist kein PNG- oder JPEG-Bild.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Choose a background picture</source>
        <translation>Hintergrundbild wählen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pictures (*.png *.jpg *.jpeg)</source>
        <translation>Bilder (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 is larger than 16 MB; choose a smaller picture.</source>
        <translation>%1 ist größer als 16 MB; wählen Sie ein kleineres Bild.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not read %1: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 is not a PNG or JPEG picture.</source>
        <translation>%1 ist kein PNG- oder JPEG-Bild.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The background picture is saved with the map.</source>
        <translation>Das Hintergrundbild wurde mit der Karte gespeichert.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The background picture is removed.</source>
        <translation>Das Hintergrundbild wurde entfernt.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MapScene</name>
    <message>
        <location filename="../console/ui/mapscene.cpp" line="+363"/>
        <source>hop %1 of %2</source>
        <translation>Hop %1 von %2</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MetricsExporter</name>
    <message>
        <location filename="../console/prometheus/metricsexporter.cpp" line="+102"/>
        <source>/metrics holds at most %1 series; newer ones are left out of it.</source>
        <translation>/metrics enthält höchstens %1 Reihen; neuere werden dort weggelassen.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::MetricsServer</name>
    <message>
        <location filename="../console/prometheus/metricsserver.cpp" line="+39"/>
        <source>Not found: this server answers only GET %1.</source>
        <translation>Nicht gefunden: Dieser Server beantwortet nur GET %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only GET and HEAD are allowed on %1.</source>
        <translation>Auf %1 sind nur GET und HEAD erlaubt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The request head is longer than %1 bytes.</source>
        <translation>Der Kopf der Anfrage ist länger als %1 Bytes.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Too many connections at once; try again shortly.</source>
        <translation>Zu viele Verbindungen auf einmal; bitte gleich noch einmal versuchen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The request is not one this server understands.</source>
        <translation>Diese Anfrage versteht der Server nicht.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cannot serve metrics on %1 (--metrics-listen): %2</source>
        <translation>Metriken können nicht auf %1 bereitgestellt werden (--metrics-listen): %2</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Notifier</name>
    <message>
        <location filename="../console/alerts/notifier.cpp" line="+84"/>
        <source>The notification queue is full (%1 waiting), so the notification to %2 was dropped: check why the notification targets fail.</source>
        <translation>Die Warteschlange für Benachrichtigungen ist voll (%1 wartend), daher wurde die Benachrichtigung an %2 verworfen: Prüfen Sie, warum die Benachrichtigungsziele fehlschlagen.</translation>
    </message>
    <message numerus="yes">
        <location line="+96"/>
        <source>Gave up after %n attempts: %1</source>
        <translation>
            <numerusform>Nach %n Versuch aufgegeben: %1</numerusform>
            <numerusform>Nach %n Versuchen aufgegeben: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::NotifyTarget</name>
    <message>
        <location filename="../console/alerts/notifytarget.cpp" line="+88"/>
        <source>The notification target is empty: write webhook:URL, email:ADDRESS, command:PATH or desktop.</source>
        <translation>Das Benachrichtigungsziel ist leer: Schreiben Sie webhook:URL, email:ADRESSE, command:PFAD oder desktop.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The notification target is %1 characters long, more than the %2 allowed: give a shorter URL, address or path.</source>
        <translation>Das Benachrichtigungsziel ist %1 Zeichen lang, mehr als die erlaubten %2: Geben Sie eine kürzere URL, Adresse oder einen kürzeren Pfad an.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The notification target holds a line break or another control character: write it on one line, e.g. webhook:https://hooks.example.net/alerts.</source>
        <translation>Das Benachrichtigungsziel enthält einen Zeilenumbruch oder ein anderes Steuerzeichen: Schreiben Sie es in eine Zeile, z. B. webhook:https://hooks.example.net/alerts.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&quot;desktop&quot; takes nothing after it: write desktop alone.</source>
        <translation>Nach &quot;desktop&quot; folgt nichts: Schreiben Sie desktop allein.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;%1&quot; is not a notification target: write webhook:URL, email:ADDRESS, command:PATH or desktop.</source>
        <translation>&quot;%1&quot; ist kein Benachrichtigungsziel: Schreiben Sie webhook:URL, email:ADRESSE, command:PFAD oder desktop.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1:&quot; needs something after the colon: write e.g. %2.</source>
        <translation>Nach &quot;%1:&quot; muss etwas folgen: Schreiben Sie z. B. %2.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; is not an http or https URL: write webhook:https://HOST/PATH, e.g. webhook:https://hooks.example.net/alerts.</source>
        <translation>&quot;%1&quot; ist keine http- oder https-URL: Schreiben Sie webhook:https://HOST/PFAD, z. B. webhook:https://hooks.example.net/alerts.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The webhook URL names no host: write webhook:https://HOST/PATH, e.g. webhook:https://hooks.example.net/alerts.</source>
        <translation>Die Webhook-URL nennt keinen Host: Schreiben Sie webhook:https://HOST/PFAD, z. B. webhook:https://hooks.example.net/alerts.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;%1&quot; holds more than one address or a space: give one address per --notify, e.g. --notify email:noc@example.net --notify email:oncall@example.net.</source>
        <translation>&quot;%1&quot; enthält mehr als eine Adresse oder ein Leerzeichen: Geben Sie eine Adresse je --notify an, z. B. --notify email:noc@example.net --notify email:oncall@example.net.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; is not an e-mail address: write email:NAME@DOMAIN, e.g. email:noc@example.net.</source>
        <translation>&quot;%1&quot; ist keine E-Mail-Adresse: Schreiben Sie email:NAME@DOMAIN, z. B. email:noc@example.net.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;%1&quot; is not an absolute path: write command:/FULL/PATH/TO/PROGRAM, e.g. command:/usr/local/bin/page-oncall (it gets the alert as JSON on its standard input).</source>
        <translation>&quot;%1&quot; ist kein absoluter Pfad: Schreiben Sie command:/VOLLER/PFAD/ZUM/PROGRAMM, z. B. command:/usr/local/bin/page-oncall (es erhält den Alarm als JSON auf seiner Standardeingabe).</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Operations</name>
    <message>
        <location filename="../console/app/operations.cpp" line="+104"/>
        <source>token name</source>
        <translation>Tokenname</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A token that moves an agent to a new host lets exactly one agent enroll.</source>
        <translation>Ein Token, das einen Agenten auf einen neuen Host umzieht, erlaubt genau einem Agenten die Registrierung.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A token lets 1 to %1 agents enroll.</source>
        <translation>Mit einem Token können sich 1 bis %1 Agenten registrieren.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A token must stay valid for longer than zero; one that has already expired lets no agent join.</source>
        <translation>Ein Token muss länger als null gültig bleiben; mit einem bereits abgelaufenen kann kein Agent beitreten.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A token may stay valid for at most %1 (about 27 years).</source>
        <translation>Ein Token darf höchstens %1 (etwa 27 Jahre) gültig bleiben.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>test name</source>
        <translation>Testname</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give a target: the host name or address to test.</source>
        <translation>Geben Sie ein Ziel an: den Hostnamen oder die Adresse, die getestet werden soll.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose the agents that should run the test: by name, by tag, or all agents.</source>
        <translation>Wählen Sie die Agenten, die den Test ausführen sollen: nach Name, nach Tag oder alle Agenten.</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+181"/>
        <source>agent name</source>
        <translation>Agentenname</translation>
    </message>
    <message>
        <location line="-177"/>
        <location line="+193"/>
        <source>tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Agent &quot;%1&quot; already runs %2 tests, the most one agent can run. Stop a test it runs, or give this test to another agent.</source>
        <translation>Der Agent &quot;%1&quot; führt bereits %2 Tests aus, das Maximum für einen Agenten. Stoppen Sie einen seiner Tests, oder weisen Sie diesen Test einem anderen Agenten zu.</translation>
    </message>
    <message>
        <location line="+47"/>
        <location filename="../console/app/operationsalerts.cpp" line="+130"/>
        <source>There is no test named &quot;%1&quot;; see &apos;test list&apos;.</source>
        <translation>Es gibt keinen Test namens &quot;%1&quot;; siehe &apos;test list&apos;.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A test keeps its type (&quot;%1&quot; is a %2 test). To measure with another type, add a new test, or duplicate this one in the window.</source>
        <translation>Ein Test behält seinen Typ (&quot;%1&quot; ist ein Test vom Typ %2). Um mit einem anderen Typ zu messen, fügen Sie einen neuen Test hinzu, oder duplizieren Sie diesen im Fenster.</translation>
    </message>
    <message>
        <location filename="../console/app/operationsalerts.cpp" line="+3"/>
        <source>&quot;%1&quot; is a %2 test; route changes are seen by traceroute tests.</source>
        <translation>&quot;%1&quot; ist ein %2-Test; Routenänderungen werden von Traceroute-Tests erkannt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A %1 test does not measure %2; it measures %3.</source>
        <translation>Ein %1-Test misst %2 nicht; er misst %3.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>There is no alert named &quot;%1&quot; to depend on; see &apos;alert list&apos;.</source>
        <translation>Es gibt keinen Alarm namens &quot;%1&quot;, von dem dieser abhängen könnte; siehe &apos;alert list&apos;.</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>The comment is too long; keep it under 1,000 characters.</source>
        <translation>Der Kommentar ist zu lang; bleiben Sie unter 1.000 Zeichen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+23"/>
        <source>There is no alert named &quot;%1&quot;; see &apos;alert list&apos;.</source>
        <translation>Es gibt keinen Alarm namens &quot;%1&quot;; siehe &apos;alert list&apos;.</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>The alert &quot;%1&quot; is not firing, so there is nothing to acknowledge.</source>
        <translation>Der Alarm &quot;%1&quot; ist nicht ausgelöst, es gibt also nichts zu bestätigen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>someone</source>
        <translation>jemandem</translation>
    </message>
    <message>
        <location line="+208"/>
        <source>No %1 for alert &quot;%2&quot;: %3</source>
        <translation>Kein %1-Test für den Alarm &quot;%2&quot;: %3</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>From %1: %2</source>
        <translation>Von %1 aus: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No traceroute round came back from the agents in trouble.</source>
        <translation>Von den betroffenen Agenten kam keine Traceroute-Runde zurück.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The traceroute test %1 is gone.</source>
        <translation>Den Traceroute-Test %1 gibt es nicht mehr.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The map has more than %1 things on it; remove some first.</source>
        <translation>Die Karte enthält mehr als %1 Elemente; entfernen Sie zuerst einige.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The background picture is larger than 16 MB; choose a smaller one.</source>
        <translation>Das Hintergrundbild ist größer als 16 MB; wählen Sie ein kleineres.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The map cannot be saved: a node has no name or no place.</source>
        <translation>Die Karte kann nicht gespeichert werden: Ein Knoten hat keinen Namen oder keine Position.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ParameterForm</name>
    <message>
        <location filename="../console/ui/parameterform.cpp" line="+51"/>
        <source>%1 (default)</source>
        <translation>%1 (Standard)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>default %1</source>
        <translation>Standard: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>automatic</source>
        <translation>automatisch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not set</source>
        <translation>nicht gesetzt</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::PathHistory</name>
    <message>
        <location filename="../console/models/pathhistory.cpp" line="+120"/>
        <source>hop %1: %2 → %3</source>
        <translation>Hop %1: %2 → %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 hops → %2 hops</source>
        <translation>%1 Hops → %2 Hops</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::PathHistoryPane</name>
    <message>
        <location filename="../console/ui/pathhistorypane.cpp" line="+62"/>
        <source>RTT per hop (ms)</source>
        <translation>RTT je Hop (ms)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hops</source>
        <translation>Hops</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What changed</source>
        <translation>Was sich änderte</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Path after</source>
        <translation>Pfad danach</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Could not read the path&apos;s history: %1</source>
        <translation>Der Verlauf des Pfads ließ sich nicht lesen: %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose a traceroute test to see how its path changed.</source>
        <translation>Wählen Sie einen Traceroute-Test, um zu sehen, wie sich sein Pfad änderte.</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>The path did not change in the last 24 hours (rounds: %n).</source>
        <translation>
            <numerusform>Der Pfad hat sich in den letzten 24 Stunden nicht geändert (Runden: %n).</numerusform>
            <numerusform>Der Pfad hat sich in den letzten 24 Stunden nicht geändert (Runden: %n).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Path changes in the last 24 hours: %n. The newest is first below.</source>
        <translation>
            <numerusform>Pfadänderungen in den letzten 24 Stunden: %n. Die neueste steht unten zuerst.</numerusform>
            <numerusform>Pfadänderungen in den letzten 24 Stunden: %n. Die neueste steht unten zuerst.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Before: %1</source>
        <translation>Vorher: %1</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::PathModel</name>
    <message>
        <location filename="../console/models/pathmodel.cpp" line="+74"/>
        <source>Reached %1 in 1 hop.</source>
        <translation>%1 in 1 Hop erreicht.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reached %1 in %2 hops.</source>
        <translation>%1 in %2 Hops erreicht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 did not answer; the path is shown as far as it goes.</source>
        <translation>%1 hat nicht geantwortet; der Pfad wird so weit angezeigt, wie er reicht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loss starts at hop %1 (%2).</source>
        <translation>Der Verlust beginnt bei Hop %1 (%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Latency rises by %1 ms at hop %2 (%3).</source>
        <translation>Die Latenz steigt bei Hop %2 (%3) um %1 ms.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>+%1 more</source>
        <translation>+%1 weitere</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This hop answered from %1 addresses (load balancing):</source>
        <translation>Dieser Hop hat von %1 Adressen geantwortet (Lastverteilung):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: 1 answer</source>
        <translation>%1: 1 Antwort</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1: %2 answers</source>
        <translation>%1: %2 Antworten</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>This router answers only some of our probes itself (it limits its ICMP replies); the hops after it show whether packets really get lost.</source>
        <translation>Dieser Router beantwortet nur einen Teil unserer Testpakete selbst (er begrenzt seine ICMP-Antworten); die Hops danach zeigen, ob wirklich Pakete verloren gehen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Loss starts here: %1 points more than the hop before.</source>
        <translation>Hier beginnt der Verlust: %1 Prozentpunkte mehr als beim Hop davor.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Latency rises here: %1 ms more than the hop before.</source>
        <translation>Hier steigt die Latenz: %1 ms mehr als beim Hop davor.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Hop</source>
        <translation>Hop</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loss %</source>
        <translation>Verlust %</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last ms</source>
        <translation>Letzte ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Avg ms</source>
        <translation>Mittel ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Best ms</source>
        <translation>Beste ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Worst ms</source>
        <translation>Schlechteste ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>StDev ms</source>
        <translation>StdAbw ms</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::PrivateFiles</name>
    <message>
        <location filename="../console/storage/privatefiles.cpp" line="+47"/>
        <source>Cannot create the folder %1; check the permissions of %2.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden; prüfen Sie die Berechtigungen von %2.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cannot create %1: %2.</source>
        <translation>%1 kann nicht angelegt werden: %2.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::RangeDialog</name>
    <message>
        <location filename="../console/ui/charts/rangedialog.cpp" line="+33"/>
        <source>Time span of the chart</source>
        <translation>Zeitraum des Diagramms</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;From:</source>
        <translation>&amp;Von:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;To:</source>
        <translation>&amp;Bis:</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The end must be at least a minute after the start.</source>
        <translation>Das Ende muss mindestens eine Minute nach dem Anfang liegen.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportChart</name>
    <message>
        <location filename="../console/reports/reportchart.cpp" line="+318"/>
        <location line="+37"/>
        <source>Outage</source>
        <translation>Ausfall</translation>
    </message>
    <message>
        <location line="-30"/>
        <location line="+32"/>
        <source>No data</source>
        <translation>Keine Daten</translation>
    </message>
    <message>
        <location line="-25"/>
        <location line="+27"/>
        <source>Target</source>
        <translation>Zielwert</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Nothing was measured in this period.</source>
        <translation>In diesem Zeitraum wurde nichts gemessen.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportCollector</name>
    <message>
        <location filename="../console/reports/reportdata.cpp" line="+218"/>
        <source>There is no agent named &quot;%1&quot;; see &apos;streamswarm-console agent list&apos;.</source>
        <translation>Es gibt keinen Agenten namens &quot;%1&quot;; siehe &apos;streamswarm-console agent list&apos;.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No agent carries the tag &quot;%1&quot;; see &apos;streamswarm-console agent list&apos;.</source>
        <translation>Kein Agent hat den Tag &quot;%1&quot;; siehe &apos;streamswarm-console agent list&apos;.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The report would hold more than %1 agents&apos; tests; choose a test, an agent or a tag.</source>
        <translation>Der Bericht würde die Tests von mehr als %1 Agenten enthalten; wählen Sie einen Test, einen Agenten oder einen Tag.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>There is no test named &quot;%1&quot;; see &apos;streamswarm-console test list&apos;.</source>
        <translation>Es gibt keinen Test namens &quot;%1&quot;; siehe &apos;streamswarm-console test list&apos;.</translation>
    </message>
    <message>
        <location line="+206"/>
        <source>The last round before the incident, %1</source>
        <translation>Die letzte Runde vor dem Vorfall, %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The worst round during the incident, %1</source>
        <translation>Die schlechteste Runde während des Vorfalls, %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The first round after the incident, %1</source>
        <translation>Die erste Runde nach dem Vorfall, %1</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportDialog</name>
    <message>
        <location filename="../console/ui/reportdialog.cpp" line="-363"/>
        <source>Report</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Executive: a plain summary for managers</source>
        <translation>Management: eine verständliche Zusammenfassung für Führungskräfte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Engineering: every test in detail</source>
        <translation>Technik: jeder Test im Detail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evidence: one incident, for a provider</source>
        <translation>Nachweis: ein einzelner Vorfall, für einen Provider</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous calendar month</source>
        <translation>Vorheriger Kalendermonat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From – to…</source>
        <translation>Von – bis…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Period:</source>
        <translation>&amp;Zeitraum:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;From:</source>
        <translation>&amp;Von:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;To:</source>
        <translation>&amp;Bis:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Every test</source>
        <translation>Alle Tests</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>T&amp;ests:</source>
        <translation>T&amp;ests:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Every agent</source>
        <translation>Alle Agenten</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Agents tagged %1</source>
        <translation>Agenten mit dem Tag %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;gents:</source>
        <translation>A&amp;genten:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A round met the latency target when it took at most this long.</source>
        <translation>Eine Runde hat den Latenz-Zielwert eingehalten, wenn sie höchstens so lange gedauert hat.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Latency target:</source>
        <translation>&amp;Latenz-Zielwert:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Highest l&amp;oss:</source>
        <translation>&amp;Höchster Verlust:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lowest availa&amp;bility:</source>
        <translation>&amp;Niedrigste Verfügbarkeit:</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Pri&amp;nt…</source>
        <translation>D&amp;rucken…</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>A4</source>
        <translation>A4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>US Letter</source>
        <translation>US Letter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lands&amp;cape</source>
        <translation>&amp;Querformat</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pape&amp;r:</source>
        <translation>Pa&amp;pier:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The name on every page&apos;s header, e.g. your site or customer.</source>
        <translation>Der Name in der Kopfzeile jeder Seite, z. B. Ihr Standort oder Kunde.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Site name:</source>
        <translation>&amp;Standortname:</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Pre&amp;view…</source>
        <translation>V&amp;orschau…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save as P&amp;DF…</source>
        <translation>Als P&amp;DF speichern…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sc&amp;hedules…</source>
        <translation>Zei&amp;tpläne…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Make this report after every day, week or month, into a folder</source>
        <translation>Diesen Bericht nach jedem Tag, jeder Woche oder jedem Monat in einen Ordner schreiben</translation>
    </message>
    <message>
        <location line="+116"/>
        <source>Reading the figures…</source>
        <translation>Werte werden gelesen…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The printer is not available any more; choose another or save a PDF.</source>
        <translation>Der Drucker ist nicht mehr verfügbar; wählen Sie einen anderen oder speichern Sie ein PDF.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The printer reported an error; nothing may have been printed. Try again, or save a PDF.</source>
        <translation>Der Drucker hat einen Fehler gemeldet; möglicherweise wurde nichts gedruckt. Versuchen Sie es erneut oder speichern Sie ein PDF.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sent %1 pages to %2.</source>
        <translation>%1 Seiten an %2 gesendet.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Save the report</source>
        <translation>Bericht speichern</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-Dokumente (*.pdf)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Wrote %1 (%2 pages).</source>
        <translation>%1 geschrieben (%2 Seiten).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The report was made, but its checksum could not be kept in the event log: %1</source>
        <translation>Der Bericht wurde erstellt, aber seine Prüfsumme konnte nicht im Ereignisprotokoll gespeichert werden: %1</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportDocument</name>
    <message>
        <location filename="../console/reports/reportdocument.cpp" line="+31"/>
        <source>type %1</source>
        <translation>Typ %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>target %1</source>
        <translation>Ziel %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>every %1</source>
        <translation>alle %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 (mean)</source>
        <translation>%1 (Mittelwert)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lowest to highest</source>
        <translation>Tiefst- bis Höchstwert</translation>
    </message>
    <message>
        <location line="+57"/>
        <location line="+14"/>
        <source>Cannot write the report to %1: %2</source>
        <translation>Der Bericht kann nicht nach %1 geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+40"/>
        <source>Data checksum (SHA-256): %1</source>
        <translation>Prüfsumme der Daten (SHA-256): %1</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Agents: %1</source>
        <translation>Agenten: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tests: %1</source>
        <translation>Tests: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Targets: latency at most %1 in 99 % of rounds, packet loss at most %2, available at least %3.</source>
        <translation>Zielwerte: Latenz höchstens %1 in 99 % der Runden, Paketverlust höchstens %2, Verfügbarkeit mindestens %3.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Made on %1 by StreamSwarm %2.</source>
        <translation>Erstellt am %1 von StreamSwarm %2.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>At a glance</source>
        <translation>Auf einen Blick</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+6"/>
        <source>Contents</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Section</source>
        <translation>Abschnitt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Page</source>
        <translation>Seite</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Top problems</source>
        <translation>Größte Probleme</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>None: every path met its targets and had no outage.</source>
        <translation>Keine: Jeder Pfad hat seine Zielwerte eingehalten und hatte keinen Ausfall.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Charts</source>
        <translation>Diagramme</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not shown: %1 (reports do not chart these kinds of test yet).</source>
        <translation>Nicht dargestellt: %1 (für diese Testarten enthalten Berichte noch keine Diagramme).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Test parameters: %1.</source>
        <translation>Testparameter: %1.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Figure</source>
        <translation>Kennzahl</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rounds measured</source>
        <translation>Gemessene Runden</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+17"/>
        <location line="+58"/>
        <location line="+59"/>
        <location line="+117"/>
        <source>Mean</source>
        <translation>Mittelwert</translation>
    </message>
    <message>
        <location line="-250"/>
        <source>Rounds that got nothing through</source>
        <translation>Runden, in denen nichts durchkam</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+74"/>
        <source>Lowest</source>
        <translation>Tiefstwert</translation>
    </message>
    <message>
        <location line="-72"/>
        <source>… of which failed, with a reason</source>
        <translation>… davon mit Grund fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+72"/>
        <source>Highest</source>
        <translation>Höchstwert</translation>
    </message>
    <message>
        <location line="-70"/>
        <source>Rounds missing (no data)</source>
        <translation>Fehlende Runden (keine Daten)</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+70"/>
        <source>Packet loss</source>
        <translation>Paketverlust</translation>
    </message>
    <message>
        <location line="-68"/>
        <location line="+127"/>
        <source>Available</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <location line="-127"/>
        <source>Within the latency target</source>
        <translation>Innerhalb des Latenz-Zielwerts</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Where the time went (means)</source>
        <translation>Wofür die Zeit verging (Mittelwerte)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Phase, from the start of the request</source>
        <translation>Phase, ab Beginn der Anfrage</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+112"/>
        <source>Outages</source>
        <translation>Ausfälle</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+159"/>
        <source>Lasted</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location line="-159"/>
        <location line="+48"/>
        <source>Rounds</source>
        <translation>Runden</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>%1 more outages are not listed.</source>
        <translation>%1 weitere Ausfälle sind nicht aufgeführt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Path changes</source>
        <translation>Pfadänderungen</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+34"/>
        <source>When</source>
        <translation>Zeitpunkt</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>What changed</source>
        <translation>Was sich geändert hat</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Events of this test</source>
        <translation>Ereignisse dieses Tests</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+168"/>
        <location line="+1"/>
        <source>What happened</source>
        <translation>Was geschah</translation>
    </message>
    <message>
        <location line="-150"/>
        <source>Before (%1)</source>
        <translation>Vorher (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>During (%1)</source>
        <translation>Während (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After (%1)</source>
        <translation>Nachher (%1)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>How these figures were taken</source>
        <translation>Wie diese Werte erfasst wurden</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Timestamps: the rounds did not say how they were taken.</source>
        <translation>Zeitstempel: Die Runden haben nicht angegeben, wie sie erfasst wurden.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Timestamps: taken by the %1 (the weakest source any round used).</source>
        <translation>Zeitstempel: erfasst durch %1 (die schwächste Quelle, die eine Runde verwendet hat).</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>network card&apos;s own clock</source>
        <translation>die eigene Uhr der Netzwerkkarte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>kernel, as each packet passed</source>
        <translation>den Kernel, beim Durchgang jedes Pakets</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>agent&apos;s program, around each send and receive</source>
        <translation>das Programm des Agenten, um jedes Senden und Empfangen herum</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The agent&apos;s clock was synchronised (NTP): offset %1 µs, estimated error %2 µs.</source>
        <translation>Die Uhr des Agenten war synchronisiert (NTP): Abweichung %1 µs, geschätzter Fehler %2 µs.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The agent&apos;s clock was not synchronised (NTP), so its times may be off by more than usual.</source>
        <translation>Die Uhr des Agenten war nicht synchronisiert (NTP), daher können seine Zeiten stärker als üblich abweichen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The agent&apos;s clock against the console&apos;s, at its last connection: %1.</source>
        <translation>Die Uhr des Agenten im Vergleich zur Konsole bei seiner letzten Verbindung: %1.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Events around the incident</source>
        <translation>Ereignisse rund um den Vorfall</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Service levels</source>
        <translation>Service-Level</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Targets: latency at most %1 in 99 % of rounds, packet loss at most %2, available (rounds that got something through) at least %3.</source>
        <translation>Zielwerte: Latenz höchstens %1 in 99 % der Runden, Paketverlust höchstens %2, Verfügbarkeit (Runden, in denen etwas durchkam) mindestens %3.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+96"/>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location line="-96"/>
        <location line="+96"/>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <location line="-96"/>
        <source>Within latency target</source>
        <translation>Innerhalb Latenz-Zielwert</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+117"/>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location line="-116"/>
        <source>Met</source>
        <translation>Eingehalten</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>no data</source>
        <translation>keine Daten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No alert fired in this period.</source>
        <translation>In diesem Zeitraum hat kein Alarm ausgelöst.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Alerts fired %1 times, for %2 in all; %3 of those times someone acknowledged them, after %4 on average (mean time to acknowledge).</source>
        <translation>Alarme haben %1-mal ausgelöst, insgesamt %2 lang; %3-mal wurden sie bestätigt, im Mittel nach %4 (mittlere Zeit bis zur Bestätigung).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Alerts fired %1 times, for %2 in all; none was acknowledged.</source>
        <translation>Alarme haben %1-mal ausgelöst, insgesamt %2 lang; keiner wurde bestätigt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+11"/>
        <source>Alert</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+11"/>
        <source>Fired</source>
        <translation>Ausgelöst</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Firing in all</source>
        <translation>Dauer gesamt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Longest</source>
        <translation>Längste</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time to acknowledge</source>
        <translation>Zeit bis Bestätigung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Held or silenced</source>
        <translation>Zurückgehalten oder stumm</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Agents</source>
        <translation>Agenten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Where, and what was done</source>
        <translation>Wo, und was getan wurde</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Seen behind the shared hop %1.</source>
        <translation>Gesehen hinter dem gemeinsamen Hop %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Held: &quot;%1&quot; explained it.</source>
        <translation>Zurückgehalten: &quot;%1&quot; hat ihn erklärt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Silent: maintenance window &quot;%1&quot;.</source>
        <translation>Stumm: Wartungsfenster &quot;%1&quot;.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Acknowledged by %1.</source>
        <translation>Bestätigt von %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged by %1: %2</source>
        <translation>Bestätigt von %1: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>still firing</source>
        <translation>noch ausgelöst</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Only the newest %1 are listed.</source>
        <translation>Nur die neuesten %1 sind aufgeführt.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No events in this period.</source>
        <translation>Keine Ereignisse in diesem Zeitraum.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+1"/>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Only the first %1 events are listed.</source>
        <translation>Nur die ersten %1 Ereignisse sind aufgeführt.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Hop</source>
        <translation>Hop</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last</source>
        <translation>Letzte</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Best</source>
        <translation>Beste</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Worst</source>
        <translation>Schlechteste</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>StDev</source>
        <translation>StdAbw</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The trace did not reach %1.</source>
        <translation>Die Route hat %1 nicht erreicht.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Checksum of this report&apos;s data</source>
        <translation>Prüfsumme der Daten dieses Berichts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256: %1</source>
        <translation>SHA-256: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The console computed this checksum from the figures in this report and keeps it in its event log, with the time the report was made. Making the same report again from the console&apos;s database gives the same checksum as long as the data has not been changed.</source>
        <translation>Die Konsole hat diese Prüfsumme aus den Werten in diesem Bericht berechnet und speichert sie zusammen mit dem Erstellungszeitpunkt des Berichts in ihrem Ereignisprotokoll. Wird derselbe Bericht erneut aus der Datenbank der Konsole erstellt, ergibt sich dieselbe Prüfsumme, solange die Daten nicht verändert wurden.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportPages</name>
    <message>
        <location filename="../console/reports/reportpages.cpp" line="+296"/>
        <source>Page %1 of %2</source>
        <translation>Seite %1 von %2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Page %1</source>
        <translation>Seite %1</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportRequest</name>
    <message>
        <location filename="../console/reports/reportrequest.cpp" line="+17"/>
        <source>The report&apos;s period is empty: its start must come before its end.</source>
        <translation>Der Zeitraum des Berichts ist leer: Sein Beginn muss vor seinem Ende liegen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>An evidence report covers one incident of at most %1; this period is %2. Give the incident&apos;s start and end.</source>
        <translation>Ein Nachweisbericht umfasst einen einzelnen Vorfall von höchstens %1; dieser Zeitraum umfasst %2. Geben Sie Beginn und Ende des Vorfalls an.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A report covers at most %1; this period is %2. Make one report per year.</source>
        <translation>Ein Bericht umfasst höchstens %1; dieser Zeitraum umfasst %2. Erstellen Sie einen Bericht pro Jahr.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The latency target must be more than 0 ms and at most 1,000,000 ms.</source>
        <translation>Der Latenz-Zielwert muss größer als 0 ms und höchstens 1.000.000 ms sein.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Loss and availability targets are percentages, from 0 to 100.</source>
        <translation>Zielwerte für Verlust und Verfügbarkeit sind Prozentwerte von 0 bis 100.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;tag:&quot; needs a tag after it, e.g. tag:site-a.</source>
        <translation>&quot;tag:&quot; braucht dahinter einen Tag, z. B. tag:site-a.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Network service report</source>
        <translation>Bericht zum Netzwerkdienst</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Engineering report</source>
        <translation>Technischer Bericht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Incident evidence</source>
        <translation>Nachweis eines Vorfalls</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportSchedule</name>
    <message>
        <location filename="../console/reports/reportschedule.cpp" line="+43"/>
        <source>schedule name</source>
        <translation>Name des Zeitplans</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Give the folder for the reports as a full path, e.g. /srv/reports.</source>
        <translation>Geben Sie den Ordner für die Berichte als vollständigen Pfad an, z. B. /srv/reports.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The folder %1 does not exist; make it first.</source>
        <translation>Der Ordner %1 existiert nicht; legen Sie ihn zuerst an.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Evidence is about one incident, so it cannot be scheduled; schedule an executive or engineering report.</source>
        <translation>Ein Nachweis betrifft einen einzelnen Vorfall und kann daher nicht geplant werden; planen Sie einen Management- oder Technikbericht.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; is not a printer name.</source>
        <translation>&quot;%1&quot; ist kein Druckername.</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>every day</source>
        <translation>täglich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>every week</source>
        <translation>wöchentlich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>every month</source>
        <translation>monatlich</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportScheduler</name>
    <message>
        <location filename="../console/reports/reportscheduler.cpp" line="+127"/>
        <source>%1 could not be started: %2</source>
        <translation>%1 konnte nicht gestartet werden: %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the report program stopped before it was done</source>
        <translation>das Berichtsprogramm wurde beendet, bevor es fertig war</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the report was written, but it could not be printed: &apos;lp&apos; (CUPS) is not installed</source>
        <translation>der Bericht wurde geschrieben, konnte aber nicht gedruckt werden: &apos;lp&apos; (CUPS) ist nicht installiert</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the report was written, but printer &quot;%1&quot; did not take it: %2</source>
        <translation>der Bericht wurde geschrieben, aber der Drucker &quot;%1&quot; hat ihn nicht angenommen: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lp failed</source>
        <translation>lp ist fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ReportWording</name>
    <message>
        <location filename="../console/reports/reportwording.cpp" line="+20"/>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: nothing was measured in this period.</source>
        <translation>%1: In diesem Zeitraum wurde nichts gemessen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Latency from %1 to %2 (%3) stayed under %4 %5 of the time, %6 on average</source>
        <translation>Die Latenz von %1 zu %2 (%3) lag in %5 der Zeit unter %4, im Mittel %6</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 of %2 to %3 (%4) averaged %5</source>
        <translation>%1 von %2 zu %3 (%4) betrug im Mittel %5</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 to %2 (%3) got nothing through</source>
        <translation>Von %1 zu %2 (%3) kam nichts durch</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>there were no outages</source>
        <translation>es gab keine Ausfälle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>one outage of %1, on %2</source>
        <translation>ein Ausfall von %1, am %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 outages totalling %2, on %3</source>
        <translation>%1 Ausfälle mit insgesamt %2, am %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>packet loss averaged %1</source>
        <translation>der Paketverlust betrug im Mittel %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No agent ran a test that this report covers in this period, so there is nothing to report. Check the period, the test and the agents chosen.</source>
        <translation>Kein Agent hat in diesem Zeitraum einen Test ausgeführt, den dieser Bericht abdeckt; es gibt also nichts zu berichten. Prüfen Sie den Zeitraum, den Test und die gewählten Agenten.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The agents stored no measurements in this period: they were offline, or the tests had not started.</source>
        <translation>Die Agenten haben in diesem Zeitraum keine Messungen gespeichert: Sie waren offline, oder die Tests hatten noch nicht begonnen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Over %1 one path was measured, and it met every target.</source>
        <translation>Über %1 wurde ein Pfad gemessen, und er hat alle Zielwerte eingehalten.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Over %1 one path was measured, and it missed a target.</source>
        <translation>Über %1 wurde ein Pfad gemessen, und er hat einen Zielwert verfehlt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Over %1, %2 paths (an agent&apos;s test each) were measured: %3 of them met every target.</source>
        <translation>Über %1 wurden %2 Pfade (je ein Test eines Agenten) gemessen: %3 davon haben alle Zielwerte eingehalten.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No path had an outage.</source>
        <translation>Kein Pfad hatte einen Ausfall.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Outages (rounds in a row that got nothing through): %1, totalling %2.</source>
        <translation>Ausfälle (aufeinanderfolgende Runden, in denen nichts durchkam): %1, insgesamt %2.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>available %1 of the time (target %2)</source>
        <translation>in %1 der Zeit verfügbar (Ziel %2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>lost %1 of its packets (target at most %2)</source>
        <translation>%1 der Pakete verloren (Ziel höchstens %2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>latency over %1 in %2 of its rounds</source>
        <translation>Latenz über %1 in %2 der Runden</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>outages: %1, the longest %2 on %3</source>
        <translation>Ausfälle: %1, der längste %2 am %3</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>no rounds</source>
        <translation>keine Runden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 on average</source>
        <translation>im Mittel %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 loss</source>
        <translation>%1 Verlust</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 failed outright</source>
        <translation>%1 komplett fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 rounds (%2)</source>
        <translation>%1 Runden (%2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>During the incident (%1), %2 had %3. Before it: %4. After it: %5.</source>
        <translation>Während des Vorfalls (%1) hatte %2 %3. Davor: %4. Danach: %5.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: our data has no gaps: every round due was measured and stored.</source>
        <translation>%1: Unsere Daten sind lückenlos: Jede fällige Runde wurde gemessen und gespeichert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 of %3 rounds due are missing from our data, because the agent was offline, stopped, or lost data it had kept.</source>
        <translation>%1: %2 von %3 fälligen Runden fehlen in unseren Daten, weil der Agent offline oder angehalten war oder zwischengespeicherte Daten verloren hat.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No data at all: %1.</source>
        <translation>Überhaupt keine Daten: %1.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 – %2 (%3)</source>
        <translation>%1 – %2 (%3)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 d %2 h</source>
        <translation>%1 Tg. %2 h</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 d</source>
        <translation>%1 Tg.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>%1 and %2 more days</source>
        <translation>%1 und %2 weiteren Tagen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 and %2</source>
        <translation>%1 und %2</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ResultsModel</name>
    <message>
        <location filename="../console/models/resultsmodel.cpp" line="+182"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failure</source>
        <translation>Fehlschlag</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ResultsPane</name>
    <message>
        <location filename="../console/ui/resultspane.cpp" line="+50"/>
        <source>Filter rows (any column)…</source>
        <translation>Zeilen filtern (jede Spalte)…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copies the selected rows (or all shown) as text for a spreadsheet (Ctrl+C)</source>
        <translation>Kopiert die gewählten Zeilen (oder alle gezeigten) als Text für eine Tabellenkalkulation (Strg+C)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export…</source>
        <translation>E&amp;xportieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saves the selected rows (or all shown) as CSV or JSON</source>
        <translation>Speichert die gewählten Zeilen (oder alle gezeigten) als CSV oder JSON</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Could not read the results: %1</source>
        <translation>Die Ergebnisse ließen sich nicht lesen: %1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose an agent and a test</source>
        <translation>Wählen Sie einen Agenten und einen Test</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Rounds in the last 24 hours: %n</source>
        <translation>
            <numerusform>Runden in den letzten 24 Stunden: %n</numerusform>
            <numerusform>Runden in den letzten 24 Stunden: %n</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 rounds</source>
        <translation>%1 von %2 Runden</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>There are no rows to export.</source>
        <translation>Es gibt keine Zeilen zum Exportieren.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+5"/>
        <source>Could not write %1: %2</source>
        <translation>%1 ließ sich nicht schreiben: %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+9"/>
        <location line="+8"/>
        <source>Export results</source>
        <translation>Ergebnisse exportieren</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>There are no rows to export yet.</source>
        <translation>Es gibt noch keine Zeilen zum Exportieren.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CSV for spreadsheets (*.csv)</source>
        <translation>CSV für Tabellenkalkulationen (*.csv)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::RetentionRepository</name>
    <message>
        <location filename="../console/storage/retention.cpp" line="+32"/>
        <source>for ever</source>
        <translation>für immer</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Data is kept for at least a day (1d), or for ever (0).</source>
        <translation>Daten werden mindestens einen Tag (1d) oder für immer (0) behalten.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rollups must be kept at least as long as the finer data they summarise: raw %1, per minute %2, per hour %3.</source>
        <translation>Zusammenfassungen müssen mindestens so lange behalten werden wie die feineren Daten, die sie zusammenfassen: Messwerte %1, pro Minute %2, pro Stunde %3.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>The stored setting %1 is not a number (%2); set it again with &apos;streamswarm-console retention --raw 30d&apos; (or the value you want).</source>
        <translation>Die gespeicherte Einstellung %1 ist keine Zahl (%2); setzen Sie sie neu mit &apos;streamswarm-console retention --raw 30d&apos; (oder dem gewünschten Wert).</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Samples</name>
    <message>
        <location filename="../console/storage/samplewrites.cpp" line="+453"/>
        <source>Results for an unknown agent (id %1) were not stored.</source>
        <translation>Ergebnisse eines unbekannten Agenten (ID %1) wurden nicht gespeichert.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ScheduleDialog</name>
    <message>
        <location filename="../console/ui/scheduledialog.cpp" line="+30"/>
        <source>Scheduled reports</source>
        <translation>Geplante Berichte</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>e.g. weekly-managers</source>
        <translation>z. B. woechentlich-management</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Choose…</source>
        <translation>Aus&amp;wählen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder for the reports</source>
        <translation>Ordner für die Berichte</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Do not print</source>
        <translation>Nicht drucken</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Every:</source>
        <translation>&amp;Intervall:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Folder:</source>
        <translation>&amp;Ordner:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Printer:</source>
        <translation>&amp;Drucker:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add schedule</source>
        <translation>Zeitplan &amp;hinzufügen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Each report covers the day, week (Monday to Monday) or month that has just ended, as the report window describes it now (%1).</source>
        <translation>Jeder Bericht umfasst den gerade beendeten Tag, die Woche (Montag bis Montag) oder den Monat, so wie das Berichtsfenster ihn jetzt beschreibt (%1).</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>%1: %2 %3, into %4%5</source>
        <translation>%1: %2 %3, in %4%5</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, printed on %1</source>
        <translation>, gedruckt auf %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No report is scheduled yet.</source>
        <translation>Noch ist kein Bericht geplant.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Scheduled &quot;%1&quot; %2.</source>
        <translation>&quot;%1&quot; wird %2 erstellt.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Removed &quot;%1&quot;; the reports already written stay.</source>
        <translation>&quot;%1&quot; entfernt; die bereits geschriebenen Berichte bleiben erhalten.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ScheduleRepository</name>
    <message>
        <location filename="../console/storage/schedulerepository.cpp" line="+22"/>
        <source>There is already a scheduled report named &quot;%1&quot;; see &apos;report schedule list&apos;.</source>
        <translation>Es gibt bereits einen geplanten Bericht namens &quot;%1&quot;; siehe &apos;report schedule list&apos;.</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>There is no scheduled report named &quot;%1&quot;; see &apos;report schedule list&apos;.</source>
        <translation>Es gibt keinen geplanten Bericht namens &quot;%1&quot;; siehe &apos;report schedule list&apos;.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Schema</name>
    <message>
        <location filename="../console/storage/schema.cpp" line="+313"/>
        <source>The database %1 was made by a newer StreamSwarm (schema %2; this version knows up to %3). Update StreamSwarm to open it.</source>
        <translation>Die Datenbank %1 wurde von einer neueren StreamSwarm-Version angelegt (Schema %2; diese Version kennt Schemas bis %3). Aktualisieren Sie StreamSwarm, um sie zu öffnen.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ServerLock</name>
    <message>
        <location filename="../console/server/serverlock.cpp" line="+34"/>
        <source>Cannot create the lock file %1.lock beside the database; check the folder&apos;s permissions.</source>
        <translation>Die Sperrdatei %1.lock neben der Datenbank kann nicht angelegt werden; prüfen Sie die Berechtigungen des Ordners.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>PID %1 on %2</source>
        <translation>PID %1 auf %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PID %1 on %2, agents dial %3</source>
        <translation>PID %1 auf %2, Agenten verbinden sich mit %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Another console (%1) is already using the database %2. Stop that one first, or give this one its own --data-dir. The commands (token, agent, test, export ...) work beside a running console.</source>
        <translation>Eine andere Konsole (%1) verwendet bereits die Datenbank %2. Beenden Sie diese zuerst, oder geben Sie dieser Konsole ein eigenes --data-dir. Die Befehle (token, agent, test, export ...) funktionieren neben einer laufenden Konsole.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::ServerOptions</name>
    <message>
        <location filename="../console/cli/serveroptions.cpp" line="+47"/>
        <source>--listen &quot;%1&quot; is not HOST:PORT with an IP address, like 0.0.0.0:8765 or [::1]:8765.</source>
        <translation>--listen &quot;%1&quot; ist nicht HOST:PORT mit einer IP-Adresse, etwa 0.0.0.0:8765 oder [::1]:8765.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--metrics-listen &quot;%1&quot; is not HOST:PORT with an IP address and a port from 1 to 65535, like 127.0.0.1:9464.</source>
        <translation>--metrics-listen &quot;%1&quot; ist nicht HOST:PORT mit einer IP-Adresse und einem Port von 1 bis 65535, etwa 127.0.0.1:9464.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The mail password file %1 cannot be read: %2</source>
        <translation>Die Mail-Passwortdatei %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it is too large.</source>
        <translation>sie ist zu groß.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The mail server for alert e-mails: smtp://HOST:587 (STARTTLS) or smtps://HOST:465.</source>
        <translation>Der Mailserver für Alarm-E-Mails: smtp://HOST:587 (STARTTLS) oder smtps://HOST:465.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The sender address of alert e-mails.</source>
        <translation>Die Absenderadresse von Alarm-E-Mails.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ADDRESS</source>
        <translation>ADRESSE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The account to log in to the mail server with.</source>
        <translation>Das Konto für die Anmeldung am Mailserver.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>USER</source>
        <translation>BENUTZER</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A file holding the mail account&apos;s password (keep it readable by this account only).</source>
        <translation>Eine Datei mit dem Passwort des Mailkontos (nur für dieses Benutzerkonto lesbar halten).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trust the mail server&apos;s certificate when signed by this PEM authority (default: the system&apos;s).</source>
        <translation>Dem Zertifikat des Mailservers vertrauen, wenn es von dieser PEM-Zertifizierungsstelle signiert ist (Standard: die des Systems).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send alert e-mails without TLS (for labs only).</source>
        <translation>Alarm-E-Mails ohne TLS senden (nur für Testumgebungen).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trust webhook servers&apos; certificates when signed by this PEM authority (default: the system&apos;s).</source>
        <translation>Den Zertifikaten von Webhook-Servern vertrauen, wenn sie von dieser PEM-Zertifizierungsstelle signiert sind (Standard: die des Systems).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>StreamSwarm console: collects what agents measure, shows it and keeps it.</source>
        <translation>StreamSwarm-Konsole: sammelt, was Agenten messen, zeigt es an und bewahrt es auf.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Run as a collector without a window.</source>
        <translation>Als Collector ohne Fenster ausführen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Address and port for agents (default 0.0.0.0:8765).</source>
        <translation>Adresse und Port für Agenten (Standard 0.0.0.0:8765).</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>HOST:PORT</source>
        <translation>HOST:PORT</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Serve Prometheus metrics over plain HTTP on this address and port (off by default); keep it on loopback or a management network.</source>
        <translation>Prometheus-Metriken über einfaches HTTP auf dieser Adresse und diesem Port bereitstellen (standardmäßig aus); nur auf Loopback oder einem Verwaltungsnetz.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Speak plain ws:// instead of wss:// (for labs only).</source>
        <translation>Unverschlüsseltes ws:// statt wss:// verwenden (nur für Testumgebungen).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use this PEM certificate instead of the console&apos;s own.</source>
        <translation>Dieses PEM-Zertifikat statt des eigenen der Konsole verwenden.</translation>
    </message>
    <message>
        <location line="-28"/>
        <location line="+4"/>
        <location line="+5"/>
        <location line="+19"/>
        <location line="+1"/>
        <source>FILE</source>
        <translation>DATEI</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The PEM private key for --cert.</source>
        <translation>Der private PEM-Schlüssel zu --cert.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop by itself after this long (e.g. 60s).</source>
        <translation>Nach dieser Dauer von selbst beenden (z. B. 60s).</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>DURATION</source>
        <translation>DAUER</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Give --cert and --key together.</source>
        <translation>Geben Sie --cert und --key zusammen an.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>--insecure turns TLS off, so --cert and --key would not be used; leave one or the other out.</source>
        <translation>--insecure schaltet TLS ab, dann würden --cert und --key nicht verwendet; lassen Sie das eine oder das andere weg.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::SmtpSettings</name>
    <message>
        <location filename="../console/alerts/emaildelivery.cpp" line="-202"/>
        <source>No mail server is set: give --smtp-server smtp://HOST:PORT in the console&apos;s settings.</source>
        <translation>Kein Mailserver eingestellt: Geben Sie --smtp-server smtp://HOST:PORT in den Einstellungen der Konsole an.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The mail server &quot;%1&quot; is not a URL the console can use: write smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT (TLS from the start).</source>
        <translation>Der Mailserver &quot;%1&quot; ist keine URL, die die Konsole verwenden kann: Schreiben Sie smtp://HOST:PORT (STARTTLS) oder smtps://HOST:PORT (TLS von Anfang an).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The mail server&apos;s URL holds a user or password: give them with --smtp-user and the password setting instead, and write smtp://HOST:PORT.</source>
        <translation>Die URL des Mailservers enthält einen Benutzer oder ein Passwort: Geben Sie diese stattdessen mit --smtp-user und der Passwort-Einstellung an, und schreiben Sie smtp://HOST:PORT.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No sender address is set: give --smtp-from with the address alerts come from, e.g. streamswarm@example.net.</source>
        <translation>Keine Absenderadresse eingestellt: Geben Sie mit --smtp-from die Adresse an, von der Alarme kommen, z. B. streamswarm@example.net.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The sender address &quot;%1&quot; is not an e-mail address: give --smtp-from NAME@DOMAIN, e.g. streamswarm@example.net.</source>
        <translation>Die Absenderadresse &quot;%1&quot; ist keine E-Mail-Adresse: Geben Sie --smtp-from NAME@DOMAIN an, z. B. streamswarm@example.net.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A mail server password is set but no user: give --smtp-user as well.</source>
        <translation>Ein Mailserver-Passwort ist eingestellt, aber kein Benutzer: Geben Sie auch --smtp-user an.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate authority file &quot;%1&quot; cannot be read: give a readable PEM file, or none to trust the system&apos;s authorities.</source>
        <translation>Die Datei der Zertifizierungsstelle &quot;%1&quot; kann nicht gelesen werden: Geben Sie eine lesbare PEM-Datei an, oder keine, um den Zertifizierungsstellen des Systems zu vertrauen.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::SshConnection</name>
    <message>
        <location filename="../console/deploy/sshconnection.cpp" line="+81"/>
        <location line="+150"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location line="-148"/>
        <source>Could not connect to %1 port %2: no answer within %3 s.</source>
        <translation>Keine Verbindung zu %1 Port %2 möglich: keine Antwort innerhalb von %3 s.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not connect to %1 port %2: %3</source>
        <translation>Keine Verbindung zu %1 Port %2 möglich: %3</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 did not show its host key: %2</source>
        <translation>%1 hat keinen Hostschlüssel vorgelegt: %2</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Could not read the known hosts file: %1</source>
        <translation>Die Datei mit den bekannten Hosts konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Could not add %1&apos;s key to the known hosts file: %2</source>
        <translation>Der Schlüssel von %1 konnte nicht zur Datei mit den bekannten Hosts hinzugefügt werden: %2</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The connection to %1 failed while logging in: %2</source>
        <translation>Die Verbindung zu %1 ist bei der Anmeldung fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not read the private key %1. If it has a passphrase, add it to your SSH agent (ssh-add %1) and leave out --key.</source>
        <translation>Der private Schlüssel %1 konnte nicht gelesen werden. Falls er eine Passphrase hat, fügen Sie ihn Ihrem SSH-Agenten hinzu (ssh-add %1) und lassen Sie --key weg.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the key %1</source>
        <translation>den Schlüssel %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the keys in your SSH agent</source>
        <translation>die Schlüssel in Ihrem SSH-Agenten</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the password</source>
        <translation>das Passwort</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No way to log in to %1: give a key (--key FILE) or a password, or start an SSH agent.</source>
        <translation>Keine Möglichkeit, sich bei %1 anzumelden: Geben Sie einen Schlüssel (--key DATEI) oder ein Passwort an, oder starten Sie einen SSH-Agenten.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 takes no passwords: log in with a key (--key FILE) or your SSH agent.</source>
        <translation>%1 nimmt keine Passwörter an: Melden Sie sich mit einem Schlüssel (--key DATEI) oder Ihrem SSH-Agenten an.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 refused %2 for user %3. Nothing was done.</source>
        <translation>%1 hat %2 für den Benutzer %3 abgelehnt. Es wurde nichts geändert.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source> and </source>
        <translation> und </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Could not run a command on %1: %2</source>
        <translation>Auf %1 konnte kein Befehl ausgeführt werden: %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 offers no SFTP (its sshd needs a &quot;Subsystem sftp&quot; line): %2</source>
        <translation>%1 bietet kein SFTP an (sein sshd braucht eine Zeile &quot;Subsystem sftp&quot;): %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not create %1 on %2: %3</source>
        <translation>%1 konnte auf %2 nicht angelegt werden: %3</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The connection to %1 was lost while copying the package: %2</source>
        <translation>Die Verbindung zu %1 ist beim Kopieren des Pakets abgebrochen: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The copy of the package on %1 could not be finished: %2</source>
        <translation>Die Kopie des Pakets auf %1 konnte nicht abgeschlossen werden: %2</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::StatusFigures</name>
    <message>
        <location filename="../console/ui/statusfigures.cpp" line="+64"/>
        <source>Listening on %1</source>
        <translation>Lauscht auf %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Plain ws:// (--insecure): credentials cross the network unencrypted.</source>
        <translation>Unverschlüsseltes ws:// (--insecure): Zugangsdaten gehen unverschlüsselt über das Netzwerk.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificate fingerprint: %1</source>
        <translation>Fingerabdruck des Zertifikats: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Database: %1 (%2)</source>
        <translation>Datenbank: %1 (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 agents online</source>
        <translation>%1 von %2 Agenten online</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 samples/s</source>
        <translation>%1 Messwerte/s</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Samples stored per second over the last %n seconds; %1 this session.</source>
        <translation>
            <numerusform>Gespeicherte Messwerte pro Sekunde in der letzten Sekunde; %1 in dieser Sitzung.</numerusform>
            <numerusform>Gespeicherte Messwerte pro Sekunde in den letzten %n Sekunden; %1 in dieser Sitzung.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::StorageWorker</name>
    <message>
        <location filename="../console/storage/storageservice.cpp" line="+113"/>
        <source>The database did not take the results.</source>
        <translation>Die Datenbank hat die Ergebnisse nicht übernommen.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::SummaryPane</name>
    <message>
        <location filename="../console/ui/summarypane.cpp" line="+110"/>
        <source>Rounds that worked (%)</source>
        <translation>Erfolgreiche Runden (%)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Packets lost (%)</source>
        <translation>Verlorene Pakete (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost or failed (%)</source>
        <translation>Verloren oder fehlgeschlagen (%)</translation>
    </message>
    <message>
        <location line="+124"/>
        <source>No agent sent a round in the last 15 minutes</source>
        <translation>Kein Agent hat in den letzten 15 Minuten eine Runde gesendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agents in the last 15 minutes, least healthy on top</source>
        <translation>Agenten in den letzten 15 Minuten, die schwächsten oben</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>deleted test</source>
        <translation>gelöschter Test</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No path sent a round in the last 15 minutes</source>
        <translation>Kein Pfad hat in den letzten 15 Minuten eine Runde gesendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Worst paths now: most lost first, then slowest</source>
        <translation>Schlechteste Pfade jetzt: die mit den meisten Verlusten zuerst, dann die langsamsten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No path lost anything in the last 15 minutes; slowest first</source>
        <translation>Kein Pfad hat in den letzten 15 Minuten etwas verloren; die langsamsten zuerst</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>agent %1</source>
        <translation>Agent %1</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::TestActions</name>
    <message>
        <location filename="../console/ui/testactions.cpp" line="+25"/>
        <source>&amp;Edit test…</source>
        <translation>Test &amp;bearbeiten…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;uplicate test…</source>
        <translation>Test &amp;duplizieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Pause test</source>
        <translation>Test &amp;pausieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Resume test</source>
        <translation>Test &amp;fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stop test</source>
        <translation>Test &amp;stoppen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Delete test…</source>
        <translation>Test &amp;löschen…</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Stop test</source>
        <translation>Test stoppen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the test &quot;%1&quot; for good? Its measurements stay. To stop it for a while, pause it instead.</source>
        <translation>Den Test &quot;%1&quot; endgültig stoppen? Seine Messwerte bleiben erhalten. Um ihn nur vorübergehend anzuhalten, pausieren Sie ihn stattdessen.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Delete test</source>
        <translation>Test löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the test &quot;%1&quot;? Its agents stop running it.

Keep its measurements? Kept, they stay available for export and charts under the name &quot;%1.deleted-…&quot;.</source>
        <translation>Den Test &quot;%1&quot; löschen? Seine Agenten führen ihn dann nicht mehr aus.

Seine Messwerte behalten? Behaltene Messwerte bleiben unter dem Namen &quot;%1.deleted-…&quot; für Export und Diagramme verfügbar.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete, keep the data</source>
        <translation>Löschen, Daten behalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete with its data</source>
        <translation>Mit Daten löschen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The test was not changed</source>
        <translation>Der Test wurde nicht geändert</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::TestListModel</name>
    <message>
        <location filename="../console/models/testlistmodel.cpp" line="+43"/>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>tag %1</source>
        <translation>Tag %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every</source>
        <translation>Intervall</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agents</source>
        <translation>Agenten</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::TestRepository</name>
    <message>
        <location filename="../console/storage/testrepository.cpp" line="+62"/>
        <location line="+31"/>
        <source>A test named &quot;%1&quot; exists already; pick another name.</source>
        <translation>Ein Test namens &quot;%1&quot; existiert bereits; wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The test was deleted meanwhile.</source>
        <translation>Der Test wurde inzwischen gelöscht.</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>There is no running test named &quot;%1&quot;; see &apos;test list&apos;.</source>
        <translation>Es gibt keinen laufenden Test namens &quot;%1&quot;; siehe &apos;test list&apos;.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>There is no test named &quot;%1&quot; that runs or waits to start; see &apos;test list&apos;.</source>
        <translation>Es gibt keinen Test namens &quot;%1&quot;, der läuft oder auf seinen Start wartet; siehe &apos;test list&apos;.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no paused test named &quot;%1&quot;; see &apos;test list&apos;.</source>
        <translation>Es gibt keinen pausierten Test namens &quot;%1&quot;; siehe &apos;test list&apos;.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>There is no test named &quot;%1&quot;; see &apos;test list&apos;.</source>
        <translation>Es gibt keinen Test namens &quot;%1&quot;; siehe &apos;test list&apos;.</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>There is no agent named &quot;%1&quot;; see &apos;agent list&apos;.</source>
        <translation>Es gibt keinen Agenten namens &quot;%1&quot;; siehe &apos;agent list&apos;.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent &quot;%1&quot; was revoked and cannot run tests.</source>
        <translation>Der Agent &quot;%1&quot; wurde gesperrt und kann keine Tests ausführen.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>There is no agent named &quot;%1&quot; to measure to; see &apos;agent list&apos; for the names.</source>
        <translation>Es gibt keinen Agenten namens &quot;%1&quot;, zu dem gemessen werden kann; die Namen zeigt &apos;agent list&apos;.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no agent named &quot;%1&quot; to measure to; see &apos;agent list&apos; for the names. The target agent also needs to run with --stamp-port.</source>
        <translation>Es gibt keinen Agenten namens &quot;%1&quot;, zu dem gemessen werden kann; die Namen zeigt &apos;agent list&apos;. Der Zielagent muss außerdem mit --stamp-port laufen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The agent &quot;%1&quot; was revoked and cannot be measured to.</source>
        <translation>Der Agent &quot;%1&quot; wurde gesperrt; zu ihm kann nicht gemessen werden.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::TokenListModel</name>
    <message>
        <location filename="../console/models/tokenlistmodel.cpp" line="+56"/>
        <source>New agents can enroll with this token.</source>
        <translation>Neue Agenten können sich mit diesem Token registrieren.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This token has expired; agents can no longer enroll with it.</source>
        <translation>Dieses Token ist abgelaufen; Agenten können sich damit nicht mehr registrieren.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every enrollment this token allowed has been used.</source>
        <translation>Alle Registrierungen, die dieses Token erlaubt hat, sind aufgebraucht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This token was revoked; agents can no longer enroll with it.</source>
        <translation>Dieses Token wurde widerrufen; Agenten können sich damit nicht mehr registrieren.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Uses left</source>
        <translation>Übrige Nutzungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::TokenRepository</name>
    <message>
        <location filename="../console/storage/tokenrepository.cpp" line="+37"/>
        <source>A token named &quot;%1&quot; exists already (names stay taken after a token is revoked); pick another name.</source>
        <translation>Ein Token namens &quot;%1&quot; existiert bereits (Namen bleiben auch nach dem Widerruf eines Tokens vergeben); wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>There is no active token named &quot;%1&quot;; see &apos;token list&apos;.</source>
        <translation>Es gibt kein aktives Token namens &quot;%1&quot;; siehe &apos;token list&apos;.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::TokensDialog</name>
    <message>
        <location filename="../console/ui/tokensdialog.cpp" line="+136"/>
        <source>Enrollment tokens</source>
        <translation>Registrierungstoken</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>An agent joins this console once, with an enrollment token. After that it signs in with its own key, so a token can be revoked as soon as its agents have joined.</source>
        <translation>Ein Agent tritt dieser Konsole einmal mit einem Registrierungstoken bei. Danach meldet er sich mit seinem eigenen Schlüssel an, sodass ein Token widerrufen werden kann, sobald seine Agenten beigetreten sind.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No enrollment tokens yet.
Create one to let agents join this console.</source>
        <translation>Noch keine Registrierungstoken.
Erstellen Sie eines, damit Agenten dieser Konsole beitreten können.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>New token…</source>
        <translation>Neues Token…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revoke…</source>
        <translation>Widerrufen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop agents from enrolling with the chosen token</source>
        <translation>Agenten die Registrierung mit dem gewählten Token verwehren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>for example branch-offices</source>
        <translation>zum Beispiel branch-offices</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;; at most %1 characters.</source>
        <translation>Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; und &apos;-&apos;; höchstens %1 Zeichen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>How many agents may enroll with this token</source>
        <translation>Wie viele Agenten sich mit diesem Token registrieren dürfen</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agents it can enroll:</source>
        <translation>Registrierbare Agenten:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid for:</source>
        <translation>Gültig für:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The token is shown only once, right after you create it, so be ready to copy it.</source>
        <translation>Das Token wird nur einmal angezeigt, direkt nach dem Erstellen; kopieren Sie es also gleich.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Create token</source>
        <translation>Token erstellen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>New enrollment token</source>
        <translation>Neues Registrierungstoken</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy the token to the clipboard</source>
        <translation>Token in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copied to the clipboard.</source>
        <translation>In die Zwischenablage kopiert.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Copy this token now. It is shown only once; StreamSwarm keeps only a hash of it.</source>
        <translation>Kopieren Sie dieses Token jetzt. Es wird nur einmal angezeigt; StreamSwarm speichert nur einen Hash davon.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>To enroll an agent, save the token in a file on the agent&apos;s computer, readable only by the account the agent runs as, and start the agent with:</source>
        <translation>Um einen Agenten zu registrieren, speichern Sie das Token in einer Datei auf dem Computer des Agenten, die nur das Konto lesen kann, unter dem der Agent läuft, und starten Sie den Agenten mit:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Once the agent has joined, it signs in with its own key: then delete the file, and leave out --token-file when you start the agent again.</source>
        <translation>Sobald der Agent beigetreten ist, meldet er sich mit seinem eigenen Schlüssel an: Löschen Sie dann die Datei, und lassen Sie --token-file beim nächsten Start des Agenten weg.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>%1 at %2</source>
        <translation>%1 um %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Token &quot;%1&quot; created</source>
        <translation>Token &quot;%1&quot; erstellt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It lets one agent enroll, until %1.</source>
        <translation>Damit kann sich ein Agent registrieren, gültig bis %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It lets %1 agents enroll, until %2.</source>
        <translation>Damit können sich %1 Agenten registrieren, gültig bis %2.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Agents on other computers need this computer&apos;s network name or address in place of %1.</source>
        <translation>Agenten auf anderen Computern brauchen anstelle von %1 den Netzwerknamen oder die Adresse dieses Computers.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Revoke token</source>
        <translation>Token widerrufen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revoke the enrollment token &quot;%1&quot;?</source>
        <translation>Das Registrierungstoken &quot;%1&quot; widerrufen?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agents can no longer enroll with it. This cannot be undone.</source>
        <translation>Agenten können sich damit nicht mehr registrieren. Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep it</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>minute</source>
        <translation>Minute</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>minutes</source>
        <translation>Minuten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hour</source>
        <translation>Stunde</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>hours</source>
        <translation>Stunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>days</source>
        <translation>Tage</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Could not read the tokens: %1</source>
        <translation>Die Token konnten nicht gelesen werden: %1</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Console::Verdict</name>
    <message>
        <location filename="../console/alerts/verdict.cpp" line="+30"/>
        <source>The traceroute taken when the alert fired found no hop.</source>
        <translation>Beim Traceroute zum Zeitpunkt des Alarms wurde kein Hop gefunden.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>When traced, the path to %1 lost nothing that carried on to the target.</source>
        <translation>Beim Traceroute zeigte der Pfad zu %1 keinen Verlust, der sich bis zum Ziel fortsetzte.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>hop %1 (no answer)</source>
        <translation>Hop %1 (keine Antwort)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 % lost</source>
        <translation>%1 % Verlust</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loss starts at the first hop, %1 (the gateway: %2), and goes on to the target.</source>
        <translation>Der Verlust beginnt beim ersten Hop, %1 (das Gateway: %2), und setzt sich bis zum Ziel fort.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Every hop before the target answered without loss; only the target %1 lost (%2).</source>
        <translation>Jeder Hop vor dem Ziel hat ohne Verlust geantwortet; nur beim Ziel %1 gingen Pakete verloren (%2).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Loss starts at %1 (%2), still inside your network, and goes on to the target.</source>
        <translation>Der Verlust beginnt bei %1 (%2), noch innerhalb Ihres Netzwerks, und setzt sich bis zum Ziel fort.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Loss starts at %1 (%2), outside your network, and goes on to the target: the provider&apos;s side.</source>
        <translation>Der Verlust beginnt bei %1 (%2), außerhalb Ihres Netzwerks, und setzt sich bis zum Ziel fort: auf der Seite des Providers.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>On this side: %1</source>
        <translation>Auf dieser Seite: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At the provider: %1</source>
        <translation>Beim Provider: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At the remote end: %1</source>
        <translation>Auf der Gegenseite: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+5"/>
        <source>No verdict: %1</source>
        <translation>Kein Befund: %1</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>No verdict: there was no traceroute to judge by.</source>
        <translation>Kein Befund: Es lag kein Traceroute zur Beurteilung vor.</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Duration</name>
    <message>
        <location filename="../shared/util/duration.cpp" line="+46"/>
        <source>The duration is empty; write it like 500ms, 10s, 5m, 2h or 7d.</source>
        <translation>Die Dauer ist leer; schreiben Sie sie etwa als 500ms, 10s, 5m, 2h oder 7d.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The duration &quot;%1&quot; is too long.</source>
        <translation>Die Dauer &quot;%1&quot; ist zu lang.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&quot;%1&quot; is not a duration; write a whole number and a unit, like 500ms, 10s, 5m, 2h or 7d.</source>
        <translation>&quot;%1&quot; ist keine Dauer; schreiben Sie eine ganze Zahl und eine Einheit, etwa 500ms, 10s, 5m, 2h oder 7d.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>&quot;%1&quot; is more than a hundred years ago.</source>
        <translation>&quot;%1&quot; liegt mehr als hundert Jahre zurück.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&quot;%1&quot; is not a time; write it in ISO 8601 (2026-11-26T08:00:00Z) or as a duration ago (2h).</source>
        <translation>&quot;%1&quot; ist keine Zeitangabe; schreiben Sie sie in ISO 8601 (2026-11-26T08:00:00Z) oder als Zeitspanne vor jetzt (2h).</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Metrics</name>
    <message>
        <location filename="../shared/testtypes/bandwidth.cpp" line="+186"/>
        <source>Throughput: the data that arrived at the receiving end per second, all streams together (a speed test: its download, or its upload when it only uploads)</source>
        <translation>Durchsatz: die Daten, die pro Sekunde beim Empfänger ankamen, alle Streams zusammen (bei einem Speedtest: sein Download, oder sein Upload, wenn er nur hochlädt)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The data the sending end sent per second, all streams together</source>
        <translation>Die Daten, die der Sender pro Sekunde gesendet hat, alle Streams zusammen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TCP segments the sending end sent again during the test</source>
        <translation>TCP-Segmente, die der Sender während des Tests erneut gesendet hat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>UDP: how unevenly the packets arrived (RFC 3550 jitter, as iperf3 reports it)</source>
        <translation>UDP: wie ungleichmäßig die Pakete ankamen (Jitter nach RFC 3550, wie iperf3 ihn meldet)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>UDP: datagrams that did not arrive, of those sent</source>
        <translation>UDP: Anteil der gesendeten Datagramme, die nicht ankamen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Speed test: what the server&apos;s data arrived at, after the warm-up</source>
        <translation>Speedtest: mit welcher Rate die Daten des Servers ankamen, nach der Aufwärmphase</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Speed test: what this agent&apos;s uploads were sent at, after the warm-up</source>
        <translation>Speedtest: mit welcher Rate die Uploads dieses Agenten gesendet wurden, nach der Aufwärmphase</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/dns.cpp" line="+219"/>
        <source>Time from sending the DNS query to its answer, retries included</source>
        <translation>Zeit vom Senden der DNS-Anfrage bis zu ihrer Antwort, Wiederholungen eingeschlossen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Response code of the DNS answer: 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED</source>
        <translation>Antwortcode der DNS-Antwort: 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Records in the answer section of the DNS answer</source>
        <translation>Einträge im Answer-Abschnitt der DNS-Antwort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shortest time to live among the answer&apos;s records</source>
        <translation>Kürzeste Lebensdauer (TTL) unter den Einträgen der Antwort</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/hardware.cpp" line="+78"/>
        <source>Temperature of a sensor on the board, CPU or another chip, as its driver reports it</source>
        <translation>Temperatur eines Sensors auf der Hauptplatine, der CPU oder einem anderen Chip, wie sein Treiber sie meldet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Speed of a fan; 0 when it has stopped</source>
        <translation>Drehzahl eines Lüfters; 0, wenn er stillsteht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Power drawn by a CPU package or one of its parts (cores, memory) over the round, from its energy counter</source>
        <translation>Leistungsaufnahme eines CPU-Packages oder eines seiner Teile (Kerne, Speicher) im Durchlauf, aus seinem Energiezähler</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Charge left in a battery</source>
        <translation>Restladung eines Akkus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rate at which a battery charges or discharges (its status says which)</source>
        <translation>Rate, mit der ein Akku geladen oder entladen wird (sein Status zeigt, welches von beiden)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>1 while the host runs on mains power, 0 while on battery</source>
        <translation>1, solange der Host am Stromnetz läuft, 0 im Akkubetrieb</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory errors that ECC found and corrected during the round; a few are harmless, a rising count points at a failing module</source>
        <translation>Speicherfehler, die ECC im Durchlauf gefunden und korrigiert hat; einige wenige sind harmlos, eine steigende Zahl deutet auf ein defektes Modul hin</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Memory errors that ECC found but could not correct during the round: data was lost</source>
        <translation>Speicherfehler, die ECC im Durchlauf gefunden, aber nicht korrigieren konnte: Daten gingen verloren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Corrected memory errors since the host started (or its counters were reset)</source>
        <translation>Korrigierte Speicherfehler seit dem Start des Hosts (oder dem Zurücksetzen seiner Zähler)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Uncorrected memory errors since the host started (or its counters were reset)</source>
        <translation>Nicht korrigierte Speicherfehler seit dem Start des Hosts (oder dem Zurücksetzen seiner Zähler)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>1 when the drive&apos;s own health check passes, 0 when the drive says it is failing</source>
        <translation>1, wenn die eigene Zustandsprüfung des Laufwerks bestanden ist, 0, wenn das Laufwerk meldet, dass es ausfällt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Temperature the drive reports</source>
        <translation>Temperatur, die das Laufwerk meldet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sectors the drive has replaced with spares because they went bad (SMART attribute 5, or the SCSI grown defect list); a rising count warns of failure</source>
        <translation>Sektoren, die das Laufwerk durch Reservesektoren ersetzt hat, weil sie defekt wurden (SMART-Attribut 5 oder die SCSI Grown Defect List); eine steigende Zahl warnt vor einem Ausfall</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sectors that could not be read and wait to be replaced (SMART attribute 197)</source>
        <translation>Sektoren, die nicht gelesen werden konnten und darauf warten, ersetzt zu werden (SMART-Attribut 197)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hours the drive has been powered on in its life</source>
        <translation>Betriebsstunden des Laufwerks über seine gesamte Lebensdauer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of an NVMe drive&apos;s rated write endurance used up; may pass 100</source>
        <translation>Verbrauchter Anteil der spezifizierten Schreibfestigkeit eines NVMe-Laufwerks; kann 100 überschreiten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Data integrity errors an NVMe drive could not recover from, in its life</source>
        <translation>Datenintegritätsfehler, die ein NVMe-Laufwerk in seiner Lebensdauer nicht beheben konnte</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/http.cpp" line="+152"/>
        <source>Time from the start of the round&apos;s first request until its name was resolved (curl&apos;s time_namelookup)</source>
        <translation>Zeit vom Start der ersten Anfrage des Durchlaufs bis zur Auflösung ihres Namens (time_namelookup von curl)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Time from the start of the first request until its TCP connection was set up (time_connect)</source>
        <translation>Zeit vom Start der ersten Anfrage bis zum Aufbau ihrer TCP-Verbindung (time_connect)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time from the start of the first request until its TLS handshake was done (time_appconnect); only for https</source>
        <translation>Zeit vom Start der ersten Anfrage bis zum Abschluss ihres TLS-Handshakes (time_appconnect); nur bei https</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Time from the start of the first request until the first byte of the answer (time_starttransfer)</source>
        <translation>Zeit vom Start der ersten Anfrage bis zum ersten Byte der Antwort (time_starttransfer)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Time from the start of the first request until its answer was complete, redirects included (time_total)</source>
        <translation>Zeit vom Start der ersten Anfrage bis zur vollständigen Antwort, Weiterleitungen eingeschlossen (time_total)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Body bytes of the first request as they came over the wire, before decompression (size_download)</source>
        <translation>Body-Bytes der ersten Anfrage, wie sie über die Leitung kamen, vor der Dekomprimierung (size_download)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Body bytes on the wire x 8 / (total - time to first byte), in Mbit/s; over the total when the two are equal; not reported without a body</source>
        <translation>Body-Bytes auf der Leitung x 8 / (Gesamtzeit - Zeit bis zum ersten Byte), in Mbit/s; bezogen auf die Gesamtzeit, wenn beide gleich sind; ohne Body nicht gemeldet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Status code of the final answer (http_code)</source>
        <translation>Statuscode der endgültigen Antwort (http_code)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redirects followed (num_redirects)</source>
        <translation>Gefolgte Weiterleitungen (num_redirects)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Decoded body size / body size on the wire; 1 when the body was not compressed</source>
        <translation>Dekodierte Body-Größe / Body-Größe auf der Leitung; 1, wenn der Body nicht komprimiert war</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time OpenSSL spent validating the server&apos;s certificate chain in the first handshake; only for https</source>
        <translation>Zeit, die OpenSSL im ersten Handshake für die Prüfung der Zertifikatskette des Servers brauchte; nur bei https</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>1 when requests 2 to N of the round reused the first request&apos;s connection, else 0; only with requests &gt; 1</source>
        <translation>1, wenn die Anfragen 2 bis N des Durchlaufs die Verbindung der ersten Anfrage wiederverwendet haben, sonst 0; nur bei requests &gt; 1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mean time to first byte of requests 2 to N of the round; only with requests &gt; 1</source>
        <translation>Mittlere Zeit bis zum ersten Byte der Anfragen 2 bis N des Durchlaufs; nur bei requests &gt; 1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mean total time of requests 2 to N of the round; only with requests &gt; 1</source>
        <translation>Mittlere Gesamtzeit der Anfragen 2 bis N des Durchlaufs; nur bei requests &gt; 1</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/ping.cpp" line="+131"/>
        <source>Shortest echo round-trip time in the round</source>
        <translation>Kürzeste Echo-Umlaufzeit im Durchlauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean echo round-trip time in the round</source>
        <translation>Mittlere Echo-Umlaufzeit im Durchlauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Longest echo round-trip time in the round</source>
        <translation>Längste Echo-Umlaufzeit im Durchlauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean deviation of the round-trip times in the round</source>
        <translation>Mittlere Abweichung der Umlaufzeiten im Durchlauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Interarrival jitter (RFC 3550) of the round-trip times, running across rounds</source>
        <translation>Interarrival-Jitter (RFC 3550) der Umlaufzeiten, über die Durchläufe hinweg fortgeschrieben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of echo requests with no reply in time</source>
        <translation>Anteil der Echo-Anfragen ohne rechtzeitige Antwort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Echo requests sent in the round</source>
        <translation>Im Durchlauf gesendete Echo-Anfragen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Distinct echo replies received in the round</source>
        <translation>Im Durchlauf empfangene verschiedene Echo-Antworten (ohne Duplikate)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Echo replies received more than once in the round</source>
        <translation>Echo-Antworten, die im Durchlauf mehr als einmal empfangen wurden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Median echo round-trip time in the round</source>
        <translation>Median der Echo-Umlaufzeit im Durchlauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sample standard deviation of the round-trip times in the round</source>
        <translation>Stichproben-Standardabweichung der Umlaufzeiten im Durchlauf</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Echo replies that arrived after the reply to a later echo</source>
        <translation>Echo-Antworten, die nach der Antwort auf ein späteres Echo ankamen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Echo requests answered by an ICMP error (unreachable, TTL exceeded, prohibited)</source>
        <translation>Echo-Anfragen, die mit einem ICMP-Fehler beantwortet wurden (unerreichbar, TTL überschritten, verboten)</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/qos.cpp" line="+94"/>
        <source>STAMP test packets sent in this class in the round</source>
        <translation>Im Durchlauf in dieser Klasse gesendete STAMP-Testpakete</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of this class&apos;s packets with no answer</source>
        <translation>Anteil der Pakete dieser Klasse ohne Antwort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of this class&apos;s packets lost on the way to the reflector</source>
        <translation>Anteil der Pakete dieser Klasse, die auf dem Weg zum Reflektor verloren gingen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of this class&apos;s packets lost on the way back</source>
        <translation>Anteil der Pakete dieser Klasse, die auf dem Rückweg verloren gingen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shortest two-way delay in this class, reflector time excluded</source>
        <translation>Kürzeste Zwei-Wege-Verzögerung in dieser Klasse, ohne die Zeit im Reflektor</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Median two-way delay in this class, reflector time excluded</source>
        <translation>Median der Zwei-Wege-Verzögerung in dieser Klasse, ohne die Zeit im Reflektor</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Longest two-way delay in this class, reflector time excluded</source>
        <translation>Längste Zwei-Wege-Verzögerung in dieser Klasse, ohne die Zeit im Reflektor</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Interarrival jitter (RFC 3550) of this class&apos;s two-way delays</source>
        <translation>Interarrival-Jitter (RFC 3550) der Zwei-Wege-Verzögerungen dieser Klasse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Interarrival jitter (RFC 3550) on the way to the reflector; needs no synchronised clocks</source>
        <translation>Interarrival-Jitter (RFC 3550) auf dem Weg zum Reflektor; braucht keine synchronisierten Uhren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Interarrival jitter (RFC 3550) on the way back from the reflector; needs no synchronised clocks</source>
        <translation>Interarrival-Jitter (RFC 3550) auf dem Rückweg vom Reflektor; braucht keine synchronisierten Uhren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Test packets in this class that reached the reflector after a later one in the round</source>
        <translation>Testpakete dieser Klasse, die den Reflektor im Durchlauf nach einem späteren Paket erreichten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replies in this class that reached us after a later reply of the reflector in the round</source>
        <translation>Antworten dieser Klasse, die uns im Durchlauf nach einer späteren Antwort des Reflektors erreichten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Extra copies of this class&apos;s test packets that reached the reflector in the round</source>
        <translation>Zusätzliche Kopien der Testpakete dieser Klasse, die den Reflektor im Durchlauf erreichten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Extra copies of the reflector&apos;s replies in this class that reached us</source>
        <translation>Zusätzliche Kopien der Antworten des Reflektors in dieser Klasse, die uns erreichten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 when this class&apos;s marking arrived unchanged both ways, else 0</source>
        <translation>1, wenn die Markierung dieser Klasse in beiden Richtungen unverändert ankam, sonst 0</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Median one-way delay to the reflector; only when both clocks are synchronised well enough</source>
        <translation>Median der Einweg-Verzögerung zum Reflektor; nur wenn beide Uhren ausreichend synchronisiert sind</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Median one-way delay back from the reflector; only when both clocks are synchronised well enough</source>
        <translation>Median der Einweg-Verzögerung vom Reflektor zurück; nur wenn beide Uhren ausreichend synchronisiert sind</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/system.cpp" line="+118"/>
        <source>Share of time all cores spent on work (everything but idle, iowait and steal) since the last round</source>
        <translation>Zeitanteil, in dem alle Kerne seit dem letzten Durchlauf gearbeitet haben (alles außer idle, iowait und steal)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time all cores ran programs (user mode, nice included)</source>
        <translation>Zeitanteil, in dem alle Kerne Programme ausgeführt haben (User-Modus, nice eingeschlossen)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time all cores ran the kernel, interrupts included</source>
        <translation>Zeitanteil, in dem alle Kerne den Kernel ausgeführt haben, Interrupts eingeschlossen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of time cores sat idle waiting for disk or network storage to answer</source>
        <translation>Zeitanteil, in dem Kerne untätig auf die Antwort von Festplatte oder Netzwerkspeicher gewartet haben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time a virtual machine&apos;s cores wanted to run but the hypervisor ran someone else</source>
        <translation>Zeitanteil, in dem die Kerne einer virtuellen Maschine laufen wollten, der Hypervisor aber etwas anderes ausgeführt hat</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time all cores had nothing to do</source>
        <translation>Zeitanteil, in dem alle Kerne nichts zu tun hatten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of time one core spent on work since the last round</source>
        <translation>Zeitanteil, in dem ein Kern seit dem letzten Durchlauf gearbeitet hat</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time one core ran programs (user mode, nice included)</source>
        <translation>Zeitanteil, in dem ein Kern Programme ausgeführt hat (User-Modus, nice eingeschlossen)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time one core ran the kernel, interrupts included</source>
        <translation>Zeitanteil, in dem ein Kern den Kernel ausgeführt hat, Interrupts eingeschlossen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time one core sat idle waiting for storage</source>
        <translation>Zeitanteil, in dem ein Kern untätig auf den Datenspeicher gewartet hat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of time one virtual core was held back by the hypervisor</source>
        <translation>Zeitanteil, in dem ein virtueller Kern vom Hypervisor zurückgehalten wurde</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Share of time one core had nothing to do</source>
        <translation>Zeitanteil, in dem ein Kern nichts zu tun hatte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cores (logical CPUs) the system counts</source>
        <translation>Kerne (logische CPUs), die das System zählt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load average over 1 minute: processes running or waiting to run (or for disk)</source>
        <translation>Load Average über 1 Minute: Prozesse, die laufen oder auf ihre Ausführung (oder die Festplatte) warten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Load average over 5 minutes</source>
        <translation>Load Average über 5 Minuten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load average over 15 minutes</source>
        <translation>Load Average über 15 Minuten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Times per second the cores switched from one task to another</source>
        <translation>Wie oft die Kerne pro Sekunde von einer Aufgabe zur anderen gewechselt haben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hardware and timer interrupts per second, all cores together</source>
        <translation>Hardware- und Timer-Interrupts pro Sekunde, alle Kerne zusammen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory the system can use</source>
        <translation>Arbeitsspeicher, den das System nutzen kann</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory in use by programs and the kernel, without what could be freed at once (total minus available)</source>
        <translation>Von Programmen und dem Kernel belegter Arbeitsspeicher, ohne den sofort freigebbaren Teil (gesamt minus verfügbar)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Memory that programs could get now without swapping, the page cache it can drop included</source>
        <translation>Arbeitsspeicher, den Programme jetzt ohne Auslagern bekommen könnten, einschließlich des freigebbaren Seitencaches</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Memory holding file contents (page cache and buffers), freed when programs need it</source>
        <translation>Arbeitsspeicher mit Dateiinhalten (Seitencache und Puffer), der freigegeben wird, wenn Programme ihn brauchen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Memory in use as a share of the total</source>
        <translation>Belegter Arbeitsspeicher als Anteil des gesamten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Swap space configured</source>
        <translation>Eingerichteter Auslagerungsspeicher (Swap)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Swap space in use: memory pushed out to disk</source>
        <translation>Belegter Swap: auf die Festplatte ausgelagerter Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Swap in use as a share of the swap space</source>
        <translation>Belegter Swap als Anteil des gesamten Swap-Speichers</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Processes and threads the kernel knows</source>
        <translation>Prozesse und Threads, die der Kernel kennt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tasks running or ready to run at the moment of the round</source>
        <translation>Tasks, die zum Zeitpunkt des Durchlaufs laufen oder lauffähig sind</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tasks waiting for disk or other I/O at the moment of the round</source>
        <translation>Tasks, die zum Zeitpunkt des Durchlaufs auf die Festplatte oder andere E/A warten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New processes and threads started per second</source>
        <translation>Neu gestartete Prozesse und Threads pro Sekunde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time since the host started</source>
        <translation>Zeit seit dem Start des Hosts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Size of a mounted filesystem</source>
        <translation>Größe eines eingehängten Dateisystems</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Space used on a mounted filesystem</source>
        <translation>Belegter Platz auf einem eingehängten Dateisystem</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Space still free for ordinary users on a mounted filesystem (the part kept for root not counted)</source>
        <translation>Für normale Benutzer noch freier Platz auf einem eingehängten Dateisystem (ohne den für root reservierten Teil)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Space used as a share of what ordinary users can have, as df shows it</source>
        <translation>Belegter Platz als Anteil dessen, was normale Benutzer bekommen können, wie df ihn anzeigt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>File slots (inodes) used as a share of all: when full, no new file fits even with space left</source>
        <translation>Belegte Dateiplätze (Inodes) als Anteil aller: Sind sie voll, passt keine neue Datei mehr hinein, selbst wenn noch Platz frei ist</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Bytes read per second from a disk</source>
        <translation>Pro Sekunde von einem Datenträger gelesene Bytes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes written per second to a disk</source>
        <translation>Pro Sekunde auf einen Datenträger geschriebene Bytes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read operations completed per second (read IOPS)</source>
        <translation>Pro Sekunde abgeschlossene Lesevorgänge (Lese-IOPS)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write operations completed per second (write IOPS)</source>
        <translation>Pro Sekunde abgeschlossene Schreibvorgänge (Schreib-IOPS)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of time a disk had at least one request in progress; near 100 % it is saturated</source>
        <translation>Zeitanteil, in dem ein Datenträger mindestens eine Anfrage in Bearbeitung hatte; nahe 100 % ist er ausgelastet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Bytes received per second on a network interface</source>
        <translation>Pro Sekunde auf einer Netzwerkschnittstelle empfangene Bytes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes sent per second on a network interface</source>
        <translation>Pro Sekunde auf einer Netzwerkschnittstelle gesendete Bytes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Packets received per second on a network interface</source>
        <translation>Pro Sekunde auf einer Netzwerkschnittstelle empfangene Pakete</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Packets sent per second on a network interface</source>
        <translation>Pro Sekunde auf einer Netzwerkschnittstelle gesendete Pakete</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Received packets per second that arrived damaged (bad checksum, frame or length): a cable, port or radio problem</source>
        <translation>Empfangene Pakete pro Sekunde, die beschädigt ankamen (falsche Prüfsumme, fehlerhafter Frame oder falsche Länge): ein Problem mit Kabel, Port oder Funk</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Packets per second the interface failed to send (carrier lost, collisions, aborted)</source>
        <translation>Pakete pro Sekunde, die die Schnittstelle nicht senden konnte (Trägerverlust, Kollisionen, Abbrüche)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Good packets per second thrown away on receipt because the host had no room or no use for them (full queues, unknown protocol), not damage</source>
        <translation>Intakte Pakete pro Sekunde, die beim Empfang verworfen wurden, weil der Host keinen Platz oder keine Verwendung dafür hatte (volle Warteschlangen, unbekanntes Protokoll), keine Beschädigung</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Packets per second thrown away before sending because the queue was full</source>
        <translation>Pakete pro Sekunde, die vor dem Senden verworfen wurden, weil die Warteschlange voll war</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Link speed the interface negotiated; absent when the driver does not say (virtual and wireless links)</source>
        <translation>Von der Schnittstelle ausgehandelte Verbindungsgeschwindigkeit; fehlt, wenn der Treiber sie nicht angibt (virtuelle und drahtlose Verbindungen)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>1 when the interface is up and can carry traffic, 0 when it is down</source>
        <translation>1, wenn die Schnittstelle aktiv ist und Daten übertragen kann, 0, wenn sie inaktiv ist</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Largest packet the interface sends without splitting it (MTU)</source>
        <translation>Größtes Paket, das die Schnittstelle sendet, ohne es aufzuteilen (MTU)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TCP connections this host started per second</source>
        <translation>Von diesem Host pro Sekunde aufgebaute TCP-Verbindungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TCP connections this host accepted per second</source>
        <translation>Von diesem Host pro Sekunde angenommene TCP-Verbindungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TCP resets this host sent per second: connections refused or cut off</source>
        <translation>Von diesem Host pro Sekunde gesendete TCP-Resets: abgelehnte oder abgebrochene Verbindungen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TCP connections open at the moment of the round</source>
        <translation>Zum Zeitpunkt des Durchlaufs offene TCP-Verbindungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of TCP segments sent that were sent again because they were lost or late</source>
        <translation>Anteil der gesendeten TCP-Segmente, die erneut gesendet wurden, weil sie verloren gingen oder zu spät kamen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>TCP segments per second that arrived out of order and waited for the missing ones (loss or reordering on the way here)</source>
        <translation>TCP-Segmente pro Sekunde, die außer der Reihe ankamen und auf die fehlenden warteten (Verlust oder Umordnung auf dem Weg hierher)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Duplicate ACKs per second in which a peer reported data it got twice (D-SACK): resends that were not needed</source>
        <translation>Doppelte ACKs pro Sekunde, in denen eine Gegenstelle doppelt erhaltene Daten gemeldet hat (D-SACK): unnötige Neuübertragungen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>TCP segments per second sent again at once because duplicate ACKs showed them lost (fast retransmit)</source>
        <translation>TCP-Segmente pro Sekunde, die sofort erneut gesendet wurden, weil doppelte ACKs sie als verloren zeigten (Fast Retransmit)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>TCP retransmission timeouts per second: a sender heard nothing back and had to wait, the slow way to recover a loss</source>
        <translation>TCP-Retransmission-Timeouts pro Sekunde: Ein Sender bekam keine Rückmeldung und musste warten, der langsame Weg, einen Verlust zu beheben</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open TCP connections per second that ended with a reset, sent or received</source>
        <translation>Offene TCP-Verbindungen pro Sekunde, die mit einem Reset endeten, gesendet oder empfangen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>UDP datagrams per second that could not be delivered (bad checksum or no room)</source>
        <translation>UDP-Datagramme pro Sekunde, die nicht zugestellt werden konnten (falsche Prüfsumme oder kein Platz)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>UDP datagrams per second dropped because a program&apos;s receive buffer was full</source>
        <translation>UDP-Datagramme pro Sekunde, die verworfen wurden, weil der Empfangspuffer eines Programms voll war</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sockets in use on the host, all protocols</source>
        <translation>Auf dem Host belegte Sockets, alle Protokolle</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/tcp.cpp" line="+55"/>
        <source>Time from sending the SYN to the connection being open (the three-way handshake)</source>
        <translation>Zeit vom Senden des SYN bis zur offenen Verbindung (der Drei-Wege-Handshake)</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/tls.cpp" line="+120"/>
        <source>Time to open the TCP connection the handshake runs on</source>
        <translation>Zeit zum Öffnen der TCP-Verbindung, über die der Handshake läuft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time from the open connection to the end of the TLS handshake, certificate validation included</source>
        <translation>Zeit von der offenen Verbindung bis zum Ende des TLS-Handshakes, Zertifikatsprüfung eingeschlossen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time the handshake spent validating the server&apos;s certificate chain</source>
        <translation>Zeit, die der Handshake für die Prüfung der Zertifikatskette des Servers brauchte</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Whole days until the server&apos;s certificate expires; negative once it has expired</source>
        <translation>Ganze Tage bis zum Ablauf des Serverzertifikats; negativ, sobald es abgelaufen ist</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 when the certificate chain is trusted and names the server, 0 when it is not</source>
        <translation>1, wenn die Zertifikatskette vertrauenswürdig ist und den Server nennt, 0, wenn nicht</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/traceroute.cpp" line="+104"/>
        <source>Hops on the path to the destination, or probed when not reached</source>
        <translation>Hops auf dem Pfad zum Ziel oder, wenn es nicht erreicht wurde, die geprüften Hops</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 when the round&apos;s probes reached the destination, else 0</source>
        <translation>1, wenn die Testpakete des Durchlaufs das Ziel erreicht haben, sonst 0</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mean round-trip time to the destination in the round</source>
        <translation>Mittlere Umlaufzeit zum Ziel im Durchlauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Share of the round&apos;s probes to the destination without an answer</source>
        <translation>Anteil der Testpakete des Durchlaufs zum Ziel ohne Antwort</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 when the hop addresses differ from the previous round&apos;s</source>
        <translation>1, wenn sich die Hop-Adressen von denen des vorigen Durchlaufs unterscheiden</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/voice.cpp" line="+106"/>
        <source>Call quality from 1 (impossible) to 4.5 (perfect) in the worse direction, as the ITU-T E-model rates this path for the codec; 4 and above is good, below 3.6 people complain</source>
        <translation>Gesprächsqualität von 1 (unmöglich) bis 4,5 (perfekt) in der schlechteren Richtung, wie das E-Modell der ITU-T diesen Pfad für den Codec bewertet; ab 4 ist sie gut, unter 3,6 beschweren sich die Leute</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The E-model&apos;s rating (R-factor, 0 to 100) in the worse direction: 90 and above is best, below 70 many users are dissatisfied</source>
        <translation>Die Bewertung des E-Modells (R-Faktor, 0 bis 100) in der schlechteren Richtung: ab 90 am besten, unter 70 sind viele Nutzer unzufrieden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Call quality of this agent&apos;s speech as the peer hears it</source>
        <translation>Gesprächsqualität der Sprache dieses Agenten, wie die Gegenstelle sie hört</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Call quality of the peer&apos;s speech as this agent hears it</source>
        <translation>Gesprächsqualität der Sprache der Gegenstelle, wie dieser Agent sie hört</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Voice packets lost on the way to the peer</source>
        <translation>Auf dem Weg zur Gegenstelle verlorene Sprachpakete</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Voice packets lost on the way back from the peer</source>
        <translation>Auf dem Rückweg von der Gegenstelle verlorene Sprachpakete</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Jitter on the way to the peer (RFC 3550): how unevenly the packets arrive</source>
        <translation>Jitter auf dem Weg zur Gegenstelle (RFC 3550): wie ungleichmäßig die Pakete ankommen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Jitter on the way back from the peer (RFC 3550)</source>
        <translation>Jitter auf dem Rückweg von der Gegenstelle (RFC 3550)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One-way network delay to the peer (median); only when both clocks are synchronised well enough</source>
        <translation>Einweg-Netzwerkverzögerung zur Gegenstelle (Median); nur wenn beide Uhren ausreichend synchronisiert sind</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>One-way network delay back from the peer (median); only when both clocks allow it</source>
        <translation>Einweg-Netzwerkverzögerung von der Gegenstelle zurück (Median); nur wenn beide Uhren es zulassen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Round-trip network delay (median), the reflector&apos;s time taken out</source>
        <translation>Netzwerk-Umlaufverzögerung (Median), ohne die Zeit im Reflektor</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Voice packets sent in the round</source>
        <translation>Im Durchlauf gesendete Sprachpakete</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/wireless.cpp" line="+75"/>
        <source>The weakest signal from the access point among the round&apos;s readings</source>
        <translation>Das schwächste Signal des Access Points unter den Messungen des Durchlaufs</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signal from the access point, averaged over the round&apos;s readings (-50 dBm is excellent, -67 enough for calls and video, below -80 barely usable)</source>
        <translation>Das Signal des Access Points, gemittelt über die Messungen des Durchlaufs (-50 dBm ist ausgezeichnet, -67 reicht für Anrufe und Video, unter -80 kaum nutzbar)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The strongest signal from the access point among the round&apos;s readings</source>
        <translation>Das stärkste Signal des Access Points unter den Messungen des Durchlaufs</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The background noise on the channel, as the radio measures it (not every driver does)</source>
        <translation>Das Hintergrundrauschen auf dem Kanal, wie das Funkmodul es misst (nicht jeder Treiber tut das)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How far the average signal stands above the noise (25 dB or more is good; below 15 dB, expect retries and slow rates)</source>
        <translation>Wie weit das mittlere Signal über dem Rauschen liegt (25 dB oder mehr ist gut; unter 15 dB ist mit Wiederholungen und niedrigen Raten zu rechnen)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Link quality from the average signal, as Linux has long shown it: -110 dBm is 0 %, -40 dBm or stronger 100 %</source>
        <translation>Verbindungsqualität aus dem mittleren Signal, wie Linux sie seit Langem anzeigt: -110 dBm sind 0 %, -40 dBm oder stärker 100 %</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The rate the last frame to the access point was sent at: what the radio chose, not the throughput</source>
        <translation>Die Rate, mit der der letzte Frame zum Access Point gesendet wurde: was das Funkmodul gewählt hat, nicht der Durchsatz</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The rate the last frame from the access point came at: what the radio chose, not the throughput</source>
        <translation>Die Rate, mit der der letzte Frame vom Access Point kam: was das Funkmodul gewählt hat, nicht der Durchsatz</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The centre frequency of the channel the interface is on</source>
        <translation>Die Mittenfrequenz des Kanals, auf dem die Schnittstelle arbeitet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The channel number the interface is on (1-14: 2.4 GHz, 32-177: 5 GHz, 1-233 at 6 GHz)</source>
        <translation>Die Nummer des Kanals, auf dem die Schnittstelle arbeitet (1-14: 2,4 GHz, 32-177: 5 GHz, 1-233 bei 6 GHz)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The power the interface transmits at</source>
        <translation>Die Sendeleistung der Schnittstelle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 while the interface is connected to an access point, 0 while it is not</source>
        <translation>1, solange die Schnittstelle mit einem Access Point verbunden ist, sonst 0</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Protocol::EventText</name>
    <message>
        <location filename="../shared/protocol/eventtext.cpp" line="+28"/>
        <source>Agent enrolled from %1 (%2) with token &quot;%3&quot;.</source>
        <translation>Agent von %1 (%2) mit Token &quot;%3&quot; registriert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agent &quot;%1&quot; moved from host %2 to %3 (%4) with token &quot;%5&quot;; the old host&apos;s credential no longer works.</source>
        <translation>Agent &quot;%1&quot; mit Token &quot;%5&quot; von Host %2 auf %3 (%4) verlegt; die Zugangsdaten des alten Hosts gelten nicht mehr.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Agent connected from %1.</source>
        <translation>Agent von %1 verbunden.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent disconnected.</source>
        <translation>Agent getrennt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused agent &quot;%1&quot; from %2: %3</source>
        <translation>Agent &quot;%1&quot; von %2 abgewiesen: %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agent &quot;%1&quot; now uses a new credential; the old one no longer works.</source>
        <translation>Agent &quot;%1&quot; verwendet jetzt neue Zugangsdaten; die alten gelten nicht mehr.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The clock of agent &quot;%1&quot; is %2 ms ahead of the console&apos;s (give or take %3 ms). Its measurement times are off by as much; set up time synchronisation (NTP, chrony) on that host.</source>
        <translation>Die Uhr des Agenten &quot;%1&quot; geht gegenüber der Konsole um %2 ms vor (plus/minus %3 ms). Seine Messzeiten weichen um ebenso viel ab; richten Sie auf diesem Host eine Zeitsynchronisation ein (NTP, chrony).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The clock of agent &quot;%1&quot; is %2 ms behind the console&apos;s (give or take %3 ms). Its measurement times are off by as much; set up time synchronisation (NTP, chrony) on that host.</source>
        <translation>Die Uhr des Agenten &quot;%1&quot; geht gegenüber der Konsole um %2 ms nach (plus/minus %3 ms). Seine Messzeiten weichen um ebenso viel ab; richten Sie auf diesem Host eine Zeitsynchronisation ein (NTP, chrony).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Too many failed sign-in attempts from %1; connections from it are refused for %2 s.</source>
        <translation>Zu viele fehlgeschlagene Anmeldeversuche von %1; Verbindungen von dort werden %2 s lang abgewiesen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Agent &quot;%1&quot; should run %2 tests, but one agent runs at most %3: the newest %4 wait. Stop some of its tests or give them to another agent.</source>
        <translation>Agent &quot;%1&quot; soll %2 Tests ausführen, ein Agent führt aber höchstens %3 aus: Die neuesten %4 warten. Beenden Sie einige seiner Tests oder weisen Sie sie einem anderen Agenten zu.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Test &quot;%1&quot; is waiting: its target agent &quot;%2&quot; is not connected. It starts by itself when that agent connects; check that the agent is running.</source>
        <translation>Test &quot;%1&quot; wartet: Sein Ziel-Agent &quot;%2&quot; ist nicht verbunden. Der Test startet von selbst, sobald sich dieser Agent verbindet; prüfen Sie, ob der Agent läuft.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Test &quot;%1&quot; runs again: its target agent &quot;%2&quot; is connected from %3.</source>
        <translation>Test &quot;%1&quot; läuft wieder: Sein Ziel-Agent &quot;%2&quot; ist von %3 aus verbunden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Agent &quot;%1&quot; could not reach the console for so long that its spool filled up: it dropped its oldest %2 round(s) of results, the newest of them measured at %3. Give it a larger --spool-size if outages this long are expected.</source>
        <translation>Agent &quot;%1&quot; konnte die Konsole so lange nicht erreichen, dass sein Zwischenspeicher voll war: Er hat die Ergebnisse seiner ältesten %2 Runde(n) verworfen, die neueste davon gemessen um %3. Geben Sie ihm eine größere --spool-size, wenn so lange Ausfälle zu erwarten sind.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The disk that holds the console&apos;s database %1 is full: from now on the console stores no results and tells each agent so; the agents keep what they measure. Free space on that disk; storing starts again by itself. (%2)</source>
        <translation>Der Datenträger mit der Datenbank der Konsole %1 ist voll: Ab jetzt speichert die Konsole keine Ergebnisse und teilt das jedem Agenten mit; die Agenten behalten, was sie messen. Geben Sie auf diesem Datenträger Platz frei; das Speichern beginnt dann von selbst wieder. (%2)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>There is space again on the disk that holds the console&apos;s database %1: results are stored again. For %2 s none were; the agents kept them and are sending them now.</source>
        <translation>Auf dem Datenträger mit der Datenbank der Konsole %1 ist wieder Platz: Ergebnisse werden wieder gespeichert. %2 s lang wurden keine gespeichert; die Agenten haben sie behalten und senden sie jetzt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The console&apos;s data folder %1 can be read by other users of this computer (mode %2): they could read the measurements, the event log and the agents&apos; credential hashes. Make it private with: chmod 700 %1</source>
        <translation>Der Datenordner der Konsole, %1, ist für andere Benutzer dieses Computers lesbar (Modus %2): Sie könnten die Messwerte, das Ereignisprotokoll und die Hashes der Zugangsdaten der Agenten lesen. Schränken Sie den Zugriff ein mit: chmod 700 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The console&apos;s database %1 can be read by other users of this computer (mode %2). Make it private with: chmod 600 %1*</source>
        <translation>Die Datenbank der Konsole, %1, ist für andere Benutzer dieses Computers lesbar (Modus %2). Schränken Sie den Zugriff ein mit: chmod 600 %1*</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The enrollment token is not valid.</source>
        <translation>Das Registrierungstoken ist ungültig.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The enrollment token was revoked.</source>
        <translation>Das Registrierungstoken wurde widerrufen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The enrollment token has expired.</source>
        <translation>Das Registrierungstoken ist abgelaufen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The enrollment token has been used up.</source>
        <translation>Das Registrierungstoken ist aufgebraucht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent this token was made to replace no longer exists; make a new token.</source>
        <translation>Der Agent, den dieses Token ersetzen sollte, existiert nicht mehr; erstellen Sie ein neues Token.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The name &quot;%1&quot; belongs to an agent that is already enrolled (host %2). Start this agent with another --name, or, to move that agent to this host, make a token with &apos;streamswarm-console token create NAME --replace %1&apos;.</source>
        <translation>Der Name &quot;%1&quot; gehört zu einem bereits registrierten Agenten (Host %2). Starten Sie diesen Agenten mit einem anderen --name oder erstellen Sie, um jenen Agenten auf diesen Host zu verlegen, ein Token mit &apos;streamswarm-console token create NAME --replace %1&apos;.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The agent credential is not valid; enroll the agent again with a new token.</source>
        <translation>Die Zugangsdaten des Agenten sind ungültig; registrieren Sie den Agenten erneut mit einem neuen Token.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This agent was revoked in the console.</source>
        <translation>Dieser Agent wurde in der Konsole gesperrt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (by %2 on the command line)</source>
        <translation>%1 (durch %2 über die Kommandozeile)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (by %2 in the console window)</source>
        <translation>%1 (durch %2 im Konsolenfenster)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Token &quot;%1&quot; created for %2 enrollment(s) until %3</source>
        <translation>Token &quot;%1&quot; für %2 Registrierung(en) bis %3 erstellt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Token &quot;%1&quot; created to move agent &quot;%2&quot; to a new host, until %3</source>
        <translation>Token &quot;%1&quot; zum Verlegen des Agenten &quot;%2&quot; auf einen neuen Host erstellt, gültig bis %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Token &quot;%1&quot; revoked</source>
        <translation>Token &quot;%1&quot; widerrufen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent &quot;%1&quot; revoked</source>
        <translation>Agent &quot;%1&quot; gesperrt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New credential asked for agent &quot;%1&quot;</source>
        <translation>Neue Zugangsdaten für Agent &quot;%1&quot; angefordert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test &quot;%1&quot; added</source>
        <translation>Test &quot;%1&quot; hinzugefügt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Data is now kept: raw %1, per minute %2, per hour %3 (0: for ever)</source>
        <translation>Daten werden jetzt behalten: Messwerte %1, pro Minute %2, pro Stunde %3 (0: für immer)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Report &quot;%1&quot; scheduled %2, into %3</source>
        <translation>Bericht &quot;%1&quot; geplant (%2), in %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scheduled report &quot;%1&quot; removed</source>
        <translation>Geplanter Bericht &quot;%1&quot; entfernt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scheduled report &quot;%1&quot; written to %2</source>
        <translation>Geplanter Bericht &quot;%1&quot; geschrieben nach %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scheduled report &quot;%1&quot; could not be made: %2</source>
        <translation>Geplanter Bericht &quot;%1&quot; konnte nicht erstellt werden: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alert &quot;%1&quot; added: %2</source>
        <translation>Alarm &quot;%1&quot; hinzugefügt: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alert &quot;%1&quot; removed</source>
        <translation>Alarm &quot;%1&quot; entfernt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alert &quot;%1&quot; acknowledged, with the comment &quot;%2&quot;</source>
        <translation>Alarm &quot;%1&quot; bestätigt, mit dem Kommentar &quot;%2&quot;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alert &quot;%1&quot; fired: %2, seen on %3 (%4)</source>
        <translation>Alarm &quot;%1&quot; ausgelöst: %2, gesehen auf %3 (%4)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alert &quot;%1&quot; fired during the maintenance window &quot;%2&quot;; no notification was sent</source>
        <translation>Alarm &quot;%1&quot; während des Wartungsfensters &quot;%2&quot; ausgelöst; es wurde keine Benachrichtigung gesendet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alert &quot;%1&quot; still fires after the maintenance window &quot;%2&quot; closed; its notifications go out now</source>
        <translation>Alarm &quot;%1&quot; ist nach dem Ende des Wartungsfensters &quot;%2&quot; noch ausgelöst; seine Benachrichtigungen werden jetzt gesendet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alert &quot;%1&quot; is held: alert &quot;%2&quot; explains it (their agents&apos; paths share the hop %3)</source>
        <translation>Alarm &quot;%1&quot; wird zurückgehalten: Alarm &quot;%2&quot; erklärt ihn (die Pfade ihrer Agenten teilen sich den Hop %3)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alert &quot;%1&quot; is held while alert &quot;%2&quot;, which it depends on, fires</source>
        <translation>Alarm &quot;%1&quot; wird zurückgehalten, solange Alarm &quot;%2&quot;, von dem er abhängt, ausgelöst ist</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alert &quot;%1&quot; cleared</source>
        <translation>Alarm &quot;%1&quot; beendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An alert notification by %1 could not be sent: %2</source>
        <translation>Eine Alarmbenachrichtigung an %1 konnte nicht gesendet werden: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Maintenance window &quot;%1&quot; added, from %2 to %3</source>
        <translation>Wartungsfenster &quot;%1&quot; hinzugefügt, von %2 bis %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Maintenance window &quot;%1&quot; removed</source>
        <translation>Wartungsfenster &quot;%1&quot; entfernt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Evidence report made for %1, from %2 to %3; SHA-256 of its data: %4</source>
        <translation>Nachweisbericht für %1 erstellt, von %2 bis %3; SHA-256 seiner Daten: %4</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test &quot;%1&quot; stopped</source>
        <translation>Test &quot;%1&quot; beendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test &quot;%1&quot; changed: %2</source>
        <translation>Test &quot;%1&quot; geändert: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test &quot;%1&quot; paused</source>
        <translation>Test &quot;%1&quot; pausiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test &quot;%1&quot; resumed</source>
        <translation>Test &quot;%1&quot; fortgesetzt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test &quot;%1&quot; deleted with its data</source>
        <translation>Test &quot;%1&quot; samt Daten gelöscht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test &quot;%1&quot; deleted; its data is kept as &quot;%2&quot;</source>
        <translation>Test &quot;%1&quot; gelöscht; seine Daten bleiben als &quot;%2&quot; erhalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent &quot;%1&quot; renamed to &quot;%2&quot;</source>
        <translation>Agent &quot;%1&quot; in &quot;%2&quot; umbenannt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent &quot;%1&quot; now has the tags: %2</source>
        <translation>Agent &quot;%1&quot; hat jetzt die Tags: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificate of %1 expires in %2 day(s), on %3 (%4); renew it before then.</source>
        <translation>Das Zertifikat von %1 läuft in %2 Tag(en) ab, am %3 (%4); erneuern Sie es vorher.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificate of %1 expired on %2 (%3); renew it.</source>
        <translation>Das Zertifikat von %1 ist am %2 (%3) abgelaufen; erneuern Sie es.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wi-Fi %1 moved to another access point of network &quot;%2&quot;: from %3 to %4.</source>
        <translation>WLAN %1 hat zu einem anderen Access Point des Netzwerks &quot;%2&quot; gewechselt: von %3 zu %4.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The agent could not save results to its spool for a while and dropped %1 round(s) and %2 event(s).</source>
        <translation>Der Agent konnte eine Zeit lang keine Ergebnisse in seinem Zwischenspeicher sichern und hat %1 Runde(n) und %2 Ereignis(se) verworfen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>One round&apos;s result was too large to send (over 1 MiB) and was dropped.</source>
        <translation>Das Ergebnis einer Runde war zum Senden zu groß (über 1 MiB) und wurde verworfen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Test &quot;%1&quot;: %2 round(s) from %3 on were not measured: the agent was held up for %4 ms. The first %5 are stored as not measured.</source>
        <translation>Test &quot;%1&quot;: %2 Runde(n) ab %3 wurden nicht gemessen: Der Agent war %4 ms lang blockiert. Die ersten %5 sind als nicht gemessen gespeichert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The agent did not shut down cleanly last time (killed, crashed or power lost). Results measured after %1, at most the last %2 ms before it stopped, were not saved.</source>
        <translation>Der Agent wurde beim letzten Mal nicht ordnungsgemäß beendet (abgebrochen, abgestürzt oder Stromausfall). Ergebnisse, die nach %1 gemessen wurden, höchstens die letzten %2 ms vor dem Ende, wurden nicht gespeichert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>its last saved result</source>
        <translation>seinem letzten gespeicherten Ergebnis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot run test &quot;%1&quot;: %2</source>
        <translation>Test &quot;%1&quot; kann nicht ausgeführt werden: %2</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::TestTypes</name>
    <message>
        <location filename="../shared/testtypes/bandwidth.cpp" line="-71"/>
        <source>Throughput to an iperf3 server or to another agent (TCP or UDP, with libiperf), or a speed test to a LibreSpeed server</source>
        <translation>Durchsatz zu einem iperf3-Server oder zu einem anderen Agenten (TCP oder UDP, mit libiperf) oder ein Geschwindigkeitstest mit einem LibreSpeed-Server</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>how it is measured: iperf3 (the target is any iperf3 server, host[:port]), agent (the target is another agent, agent:NAME, which serves the measurement while the console gives the two a turn) or http (a speed test: the target is a LibreSpeed server&apos;s URL, e.g. https://speed.example.net/backend/)</source>
        <translation>wie gemessen wird: iperf3 (Ziel ist ein beliebiger iperf3-Server, host[:port]), agent (Ziel ist ein anderer Agent, agent:NAME, der die Gegenstelle bildet, während die Konsole den beiden ein Zeitfenster zuteilt) oder http (ein Geschwindigkeitstest: Ziel ist die URL eines LibreSpeed-Servers, z. B. https://speed.example.net/backend/)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>iperf3: the server&apos;s port, when the target does not say it</source>
        <translation>iperf3: der Port des Servers, falls das Ziel keinen angibt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>iperf3: tcp (as fast as the path allows) or udp (at the bit rate, reporting loss and jitter)</source>
        <translation>iperf3: tcp (so schnell, wie der Pfad es zulässt) oder udp (mit der festgelegten Bitrate, mit Angabe von Verlust und Jitter)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>parallel connections (iperf3 -P); by default 1 for iperf3, 4 for http</source>
        <translation>parallele Verbindungen (iperf3 -P); standardmäßig 1 bei iperf3, 4 bei http</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>http: download, upload, or both one after the other (by default both)</source>
        <translation>http: download, upload oder both für beide nacheinander (standardmäßig both)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>how long it measures, in whole seconds (iperf3 -t)</source>
        <translation>wie lange gemessen wird, in ganzen Sekunden (iperf3 -t)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a warm-up before measuring, sent but not counted, in whole seconds (iperf3 -O); by default 0s for iperf3, 2s for http</source>
        <translation>eine Aufwärmphase vor der Messung, gesendet, aber nicht gezählt, in ganzen Sekunden (iperf3 -O); standardmäßig 0s bei iperf3, 2s bei http</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>iperf3: on, the server sends and this agent receives (iperf3 -R)</source>
        <translation>iperf3: bei on sendet der Server und dieser Agent empfängt (iperf3 -R)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>iperf3: the rate each stream sends at (-b), e.g. 100M; by default unlimited for tcp, 1M for udp</source>
        <translation>iperf3: die Senderate jedes Streams (-b), z. B. 100M; standardmäßig unbegrenzt bei tcp, 1M bei udp</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>iperf3: the packets&apos; traffic class: EF, AF41 ... or 0 to 63</source>
        <translation>iperf3: die Verkehrsklasse der Pakete: EF, AF41 ... oder 0 bis 63</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>how long to wait for the server to answer</source>
        <translation>wie lange auf die Antwort des Servers gewartet wird</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>UDP datagrams lost</source>
        <translation>Verlorene UDP-Datagramme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Throughput, measured every %1</source>
        <translation>Durchsatz, gemessen alle %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Throughput (Mbit/s)</source>
        <translation>Durchsatz (Mbit/s)</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/dns.cpp" line="-37"/>
        <source>Lookup time and answer of a DNS query, through the system&apos;s resolver or a server</source>
        <translation>Auflösungszeit und Antwort einer DNS-Abfrage über den Resolver des Systems oder einen Server</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the record type to ask for; PTR when the target is an IP address</source>
        <translation>der abzufragende Eintragstyp; PTR, wenn das Ziel eine IP-Adresse ist</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the DNS server to ask, such as 192.0.2.53 or [2001:db8::53]:5353; by default the system&apos;s resolvers</source>
        <translation>der abzufragende DNS-Server, etwa 192.0.2.53 oder [2001:db8::53]:5353; standardmäßig die Resolver des Systems</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>how long to wait for the answer, every try included; by default what the interval leaves, at most 5s</source>
        <translation>wie lange auf die Antwort gewartet wird, alle Versuche eingerechnet; standardmäßig die im Intervall verbleibende Zeit, höchstens 5s</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ask over TCP from the start (otherwise UDP, and TCP only when the answer is truncated)</source>
        <translation>von Anfang an über TCP abfragen (sonst UDP und TCP nur, wenn die Antwort abgeschnitten ist)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ask the server to recurse (the RD flag); off to ask an authoritative server</source>
        <translation>den Server um rekursive Auflösung bitten (RD-Flag); off, um einen autoritativen Server abzufragen</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Lookup time</source>
        <translation>Auflösungszeit</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../shared/testtypes/http.cpp" line="+6"/>
        <location filename="../shared/testtypes/tcp.cpp" line="+6"/>
        <location filename="../shared/testtypes/tls.cpp" line="+6"/>
        <source>Time (ms)</source>
        <translation>Zeit (ms)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DNS lookup time, measured every %1</source>
        <translation>DNS-Auflösungszeit, gemessen alle %1</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/hardware.cpp" line="-77"/>
        <source>Temperatures, fans, power, memory errors and drive health of the agent&apos;s own host</source>
        <translation>Temperaturen, Lüfter, Stromversorgung, Speicherfehler und Laufwerkszustand des Hosts, auf dem der Agent läuft</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>ask smartctl (smartmontools) about the drives&apos; health</source>
        <translation>smartctl (smartmontools) nach dem Zustand der Laufwerke fragen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>how long smartctl may take for all drives together; by default the interval, at most 10s</source>
        <translation>wie lange smartctl für alle Laufwerke zusammen brauchen darf; standardmäßig das Intervall, höchstens 10s</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Temperature (°C)</source>
        <translation>Temperatur (°C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hardware temperatures, measured every %1</source>
        <translation>Hardwaretemperaturen, gemessen alle %1</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/http.cpp" line="-99"/>
        <source>Phase timings (DNS, connect, TLS, first byte, total), status and download of an HTTP or HTTPS URL</source>
        <translation>Zeiten der einzelnen Phasen (DNS, Verbindungsaufbau, TLS, erstes Byte, gesamt), Status und Download einer HTTP- oder HTTPS-URL</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the request&apos;s method</source>
        <translation>die Methode der Anfrage</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>requests per round, one after the other; the first opens a new connection, the others reuse it where the server allows</source>
        <translation>Anfragen pro Runde, nacheinander; die erste öffnet eine neue Verbindung, die weiteren verwenden sie wieder, sofern der Server das zulässt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the final status that counts as success, e.g. 200 or 2xx; by default any 2xx or 3xx</source>
        <translation>der abschließende Status, der als Erfolg gilt, z. B. 200 oder 2xx; standardmäßig jeder 2xx oder 3xx</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a text the body must contain (case-sensitive)</source>
        <translation>ein Text, den der Body enthalten muss (Groß-/Kleinschreibung wird beachtet)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the most of the (decoded) body to read; beyond it the round stops with a message</source>
        <translation>wie viel vom (dekodierten) Body höchstens gelesen wird; darüber hinaus bricht die Runde mit einer Meldung ab</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the longest a whole round may take; by default the interval, at most 30s</source>
        <translation>wie lange eine ganze Runde höchstens dauern darf; standardmäßig das Intervall, höchstens 30s</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>redirects followed before the round fails; 0: none, a redirect is the answer</source>
        <translation>Anzahl der Weiterleitungen, denen gefolgt wird, bevor die Runde fehlschlägt; 0: keine, eine Weiterleitung ist die Antwort</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>auto: HTTP/2 over TLS where the server offers it, else HTTP/1.1 (as curl); 1.1 or 2 to insist</source>
        <translation>auto: HTTP/2 über TLS, wenn der Server es anbietet, sonst HTTP/1.1 (wie curl); 1.1 oder 2 erzwingt die Version</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a PEM file on the agent with the authorities to trust instead of the system&apos;s</source>
        <translation>eine PEM-Datei auf dem Agenten mit den Zertifizierungsstellen, denen statt denen des Systems vertraut wird</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>on: go on when the certificate is not valid (it is still checked and reported)</source>
        <translation>on: auch bei ungültigem Zertifikat fortfahren (es wird trotzdem geprüft und gemeldet)</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>DNS</source>
        <translation>DNS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect</source>
        <translation>Verbindungsaufbau</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wait</source>
        <translation>Warten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Download</source>
        <translation>Download</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total time</source>
        <translation>Gesamtzeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTTP total time, measured every %1</source>
        <translation>HTTP-Gesamtzeit, gemessen alle %1</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/ping.cpp" line="-58"/>
        <source>Round-trip time and loss of ICMP echoes to a host</source>
        <translation>Umlaufzeit und Verlust von ICMP-Echos zu einem Host</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>echoes per round</source>
        <translation>Echos pro Runde</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>time between the echoes of one round</source>
        <translation>Zeit zwischen den Echos einer Runde</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>how long to wait for the last reply; by default what the interval leaves, at most 1s</source>
        <translation>wie lange auf die letzte Antwort gewartet wird; standardmäßig die im Intervall verbleibende Zeit, höchstens 1s</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>payload bytes after the ICMP header, as ping -s</source>
        <translation>Nutzdaten-Bytes nach dem ICMP-Header, wie bei ping -s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>IPv4 TTL or IPv6 hop limit; by default the system&apos;s</source>
        <translation>IPv4-TTL oder IPv6-Hop-Limit; standardmäßig der Wert des Systems</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>traffic class: EF, AF41, CS1 ... or 0 to 63; not with tos</source>
        <translation>Verkehrsklasse: EF, AF41, CS1 ... oder 0 bis 63; nicht zusammen mit tos</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the whole TOS or traffic class byte; not with dscp</source>
        <translation>das ganze TOS- bzw. Traffic-Class-Byte; nicht zusammen mit dscp</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the address of this host to send from</source>
        <translation>die Adresse dieses Hosts, von der aus gesendet wird</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the network interface to send through</source>
        <translation>die Netzwerkschnittstelle, über die gesendet wird</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Median RTT</source>
        <translation>Median-RTT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Typical spread (±σ)</source>
        <translation>Typische Streuung (±σ)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Min–max RTT</source>
        <translation>Min.–max. RTT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Packet loss</source>
        <translation>Paketverlust</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Jitter</source>
        <translation>Jitter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Round-trip time and packet loss, measured every %1</source>
        <translation>Umlaufzeit und Paketverlust, gemessen alle %1</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/qos.cpp" line="+25"/>
        <source>Delay, loss, jitter and DSCP handling per traffic class, both ways, to a STAMP reflector (RFC 8762)</source>
        <translation>Verzögerung, Verlust, Jitter und DSCP-Behandlung je Verkehrsklasse, in beide Richtungen, zu einem STAMP-Reflektor (RFC 8762)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the DSCP classes measured, separated by commas</source>
        <translation>die gemessenen DSCP-Klassen, durch Kommas getrennt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>packets per class and round</source>
        <translation>Pakete pro Klasse und Runde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>time between packets</source>
        <translation>Zeit zwischen den Paketen</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../shared/testtypes/voice.cpp" line="-40"/>
        <source>how long to wait for the last answers</source>
        <translation>wie lange auf die letzten Antworten gewartet wird</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../shared/testtypes/voice.cpp" line="+3"/>
        <source>the reflector&apos;s UDP port; for agent:NAME, by default the port that agent announced</source>
        <translation>der UDP-Port des Reflektors; bei agent:NAME standardmäßig der Port, den dieser Agent angekündigt hat</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Median RTT, %1</source>
        <translation>Median der RTT, %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Min–max RTT, %1</source>
        <translation>Min.–max. RTT, %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Packet loss, %1</source>
        <translation>Paketverlust, %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Class %2 to the reflector, measured every %1</source>
        <translation>Klasse %2 zum Reflektor, gemessen alle %1</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/system.cpp" line="-200"/>
        <source>The agent&apos;s own host: CPU, memory, disks, network interfaces and the IP stack</source>
        <translation>Der Host, auf dem der Agent läuft: CPU, Arbeitsspeicher, Datenträger, Netzwerkschnittstellen und IP-Stack</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>also report each core&apos;s CPU figures, not only the totals</source>
        <translation>auch die CPU-Werte jedes einzelnen Kerns melden, nicht nur die Summen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>only these network interfaces, separated by commas (eth0,wlan0); by default all but loopback</source>
        <translation>nur diese Netzwerkschnittstellen, durch Kommas getrennt (eth0,wlan0); standardmäßig alle außer Loopback</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>only these parts of the host, separated by commas: cpu, memory, processes, disks, filesystems, interfaces, network (the IP stack and TCP health); by default all</source>
        <translation>nur diese Teile des Hosts, durch Kommas getrennt: cpu, memory, processes, disks, filesystems, interfaces, network (IP-Stack und TCP-Zustand); standardmäßig alle</translation>
    </message>
    <message>
        <location line="+192"/>
        <source>Memory used</source>
        <translation>Belegter Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load (1 minute)</source>
        <translation>Last (1 Minute)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU in use</source>
        <translation>CPU-Auslastung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CPU in use (%)</source>
        <translation>CPU-Auslastung (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The agent&apos;s host, measured every %1</source>
        <translation>Host des Agenten, gemessen alle %1</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/tcp.cpp" line="-21"/>
        <source>Time to open a TCP connection to host:port</source>
        <translation>Zeit für den Aufbau einer TCP-Verbindung zu host:port</translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../shared/testtypes/tls.cpp" line="-42"/>
        <source>the port, when the target does not say it (host:port)</source>
        <translation>der Port, falls das Ziel keinen angibt (host:port)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>how long to wait for the connection; by default the interval, at most 5s</source>
        <translation>wie lange auf die Verbindung gewartet wird; standardmäßig das Intervall, höchstens 5s</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Connect time</source>
        <translation>Verbindungsaufbauzeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TCP connect time, measured every %1</source>
        <translation>TCP-Verbindungsaufbauzeit, gemessen alle %1</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/tls.cpp" line="-6"/>
        <source>TLS handshake time, protocol, cipher and the server&apos;s certificate and its expiry</source>
        <translation>TLS-Handshake-Zeit, Protokoll, Cipher sowie das Zertifikat des Servers und sein Ablaufdatum</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the server name to send and check the certificate against; by default the target&apos;s host name</source>
        <translation>der Servername, der gesendet und gegen den das Zertifikat geprüft wird; standardmäßig der Hostname des Ziels</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>application protocols to offer, comma-separated, or none</source>
        <translation>anzubietende Anwendungsprotokolle, durch Kommas getrennt, oder none</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a PEM file of authorities to trust instead of the system&apos;s, on the agent&apos;s host</source>
        <translation>eine PEM-Datei mit Zertifizierungsstellen, denen statt denen des Systems vertraut wird, auf dem Host des Agenten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>warn once when the certificate expires in fewer days than this</source>
        <translation>einmal warnen, wenn das Zertifikat in weniger als so vielen Tagen abläuft</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>how long connect and handshake may take together; by default the interval, at most 10s</source>
        <translation>wie lange Verbindungsaufbau und Handshake zusammen dauern dürfen; standardmäßig das Intervall, höchstens 10s</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Handshake time</source>
        <translation>Handshake-Zeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS handshake time, measured every %1</source>
        <translation>TLS-Handshake-Zeit, gemessen alle %1</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/traceroute.cpp" line="-36"/>
        <source>The path to a host hop by hop, with each hop&apos;s loss and round-trip time, as mtr shows it</source>
        <translation>Der Pfad zu einem Host, Hop für Hop, mit Verlust und Umlaufzeit jedes Hops, wie mtr ihn zeigt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>what the probes are</source>
        <translation>Art der Prüfpakete</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the longest path probed</source>
        <translation>die größte geprüfte Pfadlänge</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>probes per hop and round</source>
        <translation>Prüfpakete pro Hop und Runde</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>how long each wave of 16 hops waits; by default what the interval leaves, at most 1s</source>
        <translation>wie lange jede Welle von 16 Hops wartet; standardmäßig die im Intervall verbleibende Zeit, höchstens 1s</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>udp: the first destination port, one more per probe (default 33434); tcp: the port the SYNs go to (default 80)</source>
        <translation>udp: der erste Zielport, pro Prüfpaket um eins erhöht (Standard 33434); tcp: der Port, an den die SYNs gehen (Standard 80)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>look up the hops&apos; names; never delays a round</source>
        <translation>die Namen der Hops auflösen; verzögert nie eine Runde</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>RTT to the destination</source>
        <translation>RTT zum Ziel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loss to the destination</source>
        <translation>Verlust zum Ziel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The traced path&apos;s last hop, traced every %1</source>
        <translation>Letzter Hop des verfolgten Pfads, verfolgt alle %1</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/voice.cpp" line="-20"/>
        <source>Call quality (MOS) both ways, from a simulated call to a STAMP reflector or another agent</source>
        <translation>Gesprächsqualität (MOS) in beide Richtungen, aus einem simulierten Anruf zu einem STAMP-Reflektor oder einem anderen Agenten</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the codec whose packets are sent and rated: g711 (160 bytes every 20 ms), g729 (20 bytes), opus (80 bytes)</source>
        <translation>der Codec, dessen Pakete gesendet und bewertet werden: g711 (160 Bytes alle 20 ms), g729 (20 Bytes), opus (80 Bytes)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>how long the call lasts each round; by default the interval less the timeout, at most 60s</source>
        <translation>wie lange der Anruf in jeder Runde dauert; standardmäßig das Intervall abzüglich des Timeouts, höchstens 60s</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the packets&apos; traffic class: EF, AF41 ... or 0 to 63</source>
        <translation>die Verkehrsklasse der Pakete: EF, AF41 ... oder 0 bis 63</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>MOS, worse direction</source>
        <translation>MOS, schlechtere Richtung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Packets lost on the way there</source>
        <translation>Auf dem Hinweg verlorene Pakete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call quality to the peer, measured every %1</source>
        <translation>Gesprächsqualität zur Gegenstelle, gemessen alle %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MOS (1 to 4.5)</source>
        <translation>MOS (1 bis 4,5)</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/wireless.cpp" line="-51"/>
        <source>This host&apos;s Wi-Fi link: network, access point, channel, signal, noise and bitrates</source>
        <translation>WLAN-Verbindung dieses Hosts: Netzwerk, Access Point, Kanal, Signal, Rauschen und Bitraten</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the Wi-Fi interface to read; by default the first one that is connected</source>
        <translation>die auszulesende WLAN-Schnittstelle; standardmäßig die erste verbundene</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>signal readings per round, spread over the interval (at most one per 20ms of it)</source>
        <translation>Signalmessungen pro Runde, über das Intervall verteilt (höchstens eine je 20ms davon)</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Signal (dBm)</source>
        <translation>Signal (dBm)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Average signal</source>
        <translation>Mittleres Signal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weakest to strongest reading</source>
        <translation>Schwächster bis stärkster Messwert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wi-Fi signal, read every %1</source>
        <translation>WLAN-Signal, gelesen alle %1</translation>
    </message>
</context>
<context>
    <name>StreamSwarm::Validation</name>
    <message>
        <location filename="../shared/protocol/validation.cpp" line="+47"/>
        <source>The %1 is empty.</source>
        <translation>%1 ist leer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The %1 is longer than %2 characters.</source>
        <translation>%1 ist länger als %2 Zeichen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The %1 &quot;%2&quot; may use only letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, and must start with a letter or digit.</source>
        <translation>%1 &quot;%2&quot;: Erlaubt sind nur Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; und &apos;-&apos;, und das erste Zeichen muss ein Buchstabe oder eine Ziffer sein.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The target is empty; give a host name or an IP address.</source>
        <translation>Das Ziel ist leer; geben Sie einen Hostnamen oder eine IP-Adresse an.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The target is longer than %1 characters.</source>
        <translation>Das Ziel ist länger als %1 Zeichen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The target &quot;::&quot; means any address, not a host; give one host.</source>
        <translation>Das Ziel &quot;::&quot; steht für eine beliebige Adresse, nicht für einen Host; geben Sie einen einzelnen Host an.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The target &quot;255.255.255.255&quot; is the broadcast address, not a host; give one host.</source>
        <translation>Das Ziel &quot;255.255.255.255&quot; ist die Broadcast-Adresse, kein Host; geben Sie einen einzelnen Host an.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The target &quot;0.0.0.0&quot; means any address, not a host; give one host.</source>
        <translation>Das Ziel &quot;0.0.0.0&quot; steht für eine beliebige Adresse, nicht für einen Host; geben Sie einen einzelnen Host an.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The target &quot;%1&quot; is neither a host name nor an IP address.</source>
        <translation>Das Ziel &quot;%1&quot; ist weder ein Hostname noch eine IP-Adresse.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The target &quot;%1&quot; is not valid; write an IPv6 address with a port as [2001:db8::1]:443.</source>
        <translation>Das Ziel &quot;%1&quot; ist ungültig; schreiben Sie eine IPv6-Adresse mit Port als [2001:db8::1]:443.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The target &quot;%1&quot; has no port; write it as host:port, e.g. www.example.com:443.</source>
        <translation>Das Ziel &quot;%1&quot; hat keinen Port; schreiben Sie es als host:port, z. B. www.example.com:443.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The port &quot;%1&quot; in the target is not valid; give a number from 1 to 65535.</source>
        <translation>Der Port &quot;%1&quot; im Ziel ist ungültig; geben Sie eine Zahl von 1 bis 65535 an.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The test type &quot;%1&quot; is not available in this version yet; available: %2.</source>
        <translation>Der Testtyp &quot;%1&quot; ist in dieser Version noch nicht verfügbar; verfügbar: %2.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unknown test type &quot;%1&quot;; available: %2.</source>
        <translation>Unbekannter Testtyp &quot;%1&quot;; verfügbar: %2.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The interval %1 is out of range; use %2 to %3.</source>
        <translation>Das Intervall %1 liegt außerhalb des gültigen Bereichs; verwenden Sie %2 bis %3.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The duration %1 is out of range; use %2 to %3, or --continuous.</source>
        <translation>Die Dauer %1 liegt außerhalb des gültigen Bereichs; verwenden Sie %2 bis %3 oder --continuous.</translation>
    </message>
    <message>
        <location line="+47"/>
        <location filename="../shared/testtypes/bandwidth.cpp" line="-148"/>
        <source>agent name after agent:</source>
        <translation>Agentname nach agent:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The %1 target &quot;%2&quot; must be the IP address of a STAMP reflector, such as an agent started with --stamp-port, or agent:NAME to measure to the agent of that name.</source>
        <translation>Das Ziel &quot;%2&quot; eines %1-Tests muss die IP-Adresse eines STAMP-Reflektors sein, etwa eines mit --stamp-port gestarteten Agenten, oder agent:NAME, um zum Agenten dieses Namens zu messen.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>test name</source>
        <translation>Testname</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A test takes at most %1 parameters.</source>
        <translation>Ein Test hat höchstens %1 Parameter.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A %1 test measures the agent&apos;s own host, so it takes no target; leave it out or write &quot;%2&quot;.</source>
        <translation>Ein %1-Test misst den Host des Agenten selbst und hat daher kein Ziel; lassen Sie es weg oder schreiben Sie &quot;%2&quot;.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The target is empty; give a URL such as https://www.example.com/.</source>
        <translation>Das Ziel ist leer; geben Sie eine URL an, etwa https://www.example.com/.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The URL is longer than %1 characters.</source>
        <translation>Die URL ist länger als %1 Zeichen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The URL must not contain blanks or control characters; write a blank as %20.</source>
        <translation>Die URL darf keine Leer- oder Steuerzeichen enthalten; schreiben Sie ein Leerzeichen als %20.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The target &quot;%1&quot; is not a URL; give one that starts with http:// or https://.</source>
        <translation>Das Ziel &quot;%1&quot; ist keine URL; geben Sie eine URL an, die mit http:// oder https:// beginnt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The scheme &quot;%1&quot; is not supported; the target takes http:// and https:// URLs.</source>
        <translation>Das Schema &quot;%1&quot; wird nicht unterstützt; als Ziel sind http://- und https://-URLs möglich.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The URL &quot;%1&quot; is malformed: %2.</source>
        <translation>Die URL &quot;%1&quot; ist fehlerhaft: %2.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The URL must not carry a user name or password.</source>
        <translation>Die URL darf keinen Benutzernamen und kein Passwort enthalten.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The URL &quot;%1&quot; names no host.</source>
        <translation>Die URL &quot;%1&quot; nennt keinen Host.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The URL&apos;s host &quot;%1&quot; is neither a host name nor an IP address.</source>
        <translation>Der Host &quot;%1&quot; der URL ist weder ein Hostname noch eine IP-Adresse.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The URL&apos;s port must be from 1 to 65535.</source>
        <translation>Der Port der URL muss zwischen 1 und 65535 liegen.</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/bandwidth.cpp" line="-12"/>
        <source>The parameter %1 is for method=%2; this test&apos;s method is %3.</source>
        <translation>Der Parameter %1 gilt für method=%2; die Methode dieses Tests ist %3.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> or method=</source>
        <translation> oder method=</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A bandwidth test with method=agent measures to another agent: give the target as agent:NAME, not &quot;%1&quot;.</source>
        <translation>Ein Bandbreitentest mit method=agent misst zu einem anderen Agenten: Geben Sie das Ziel als agent:NAME an, nicht als &quot;%1&quot;.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The target %1 is an agent; measuring to another agent needs method=agent.</source>
        <translation>Das Ziel %1 ist ein Agent; für Messungen zu einem anderen Agenten ist method=agent nötig.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The parameter %1=%2 is not whole seconds; the bandwidth test counts whole seconds (e.g. 10s).</source>
        <translation>Der Parameter %1=%2 ist keine ganze Zahl von Sekunden; der Bandbreitentest rechnet in ganzen Sekunden (z. B. 10s).</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>A bandwidth test measuring %1 (after %2 of warm-up) needs an interval of at least %3 to connect, measure and exchange results (each direction in turn, for http); the interval is %4. Raise the interval or shorten duration.</source>
        <translation>Ein Bandbreitentest, der %1 lang misst (nach %2 Aufwärmphase), braucht ein Intervall von mindestens %3, um die Verbindung aufzubauen, zu messen und die Ergebnisse auszutauschen (bei http jede Richtung nacheinander); das Intervall beträgt %4. Verlängern Sie das Intervall oder verkürzen Sie duration.</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/dns.cpp" line="-189"/>
        <source>The parameter server=%1 is not a DNS server&apos;s address; give an IP address, optionally with a port: 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:5353.</source>
        <translation>Der Parameter server=%1 ist keine Adresse eines DNS-Servers; geben Sie eine IP-Adresse an, optional mit Port: 192.0.2.53, 192.0.2.53:5353 oder [2001:db8::53]:5353.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The port in server=%1 is not valid; give a number from 1 to 65535.</source>
        <translation>Der Port in server=%1 ist ungültig; geben Sie eine Zahl von 1 bis 65535 an.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The target %1 is an IP address: look up its name with type=PTR, or give a name to look up with type=%2.</source>
        <translation>Das Ziel %1 ist eine IP-Adresse: Fragen Sie ihren Namen mit type=PTR ab oder geben Sie einen Namen an, der mit type=%2 abgefragt werden soll.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The target &quot;%1&quot; is not a DNS name; use labels of letters, digits, &apos;-&apos; and &apos;_&apos; separated by dots, such as www.example.com or _sip._udp.example.com.</source>
        <translation>Das Ziel &quot;%1&quot; ist kein DNS-Name; verwenden Sie durch Punkte getrennte Labels aus Buchstaben, Ziffern, &apos;-&apos; und &apos;_&apos;, etwa www.example.com oder _sip._udp.example.com.</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>A dns round waits up to its timeout %1 for the answer, longer than the interval %2; lower the timeout or raise the interval.</source>
        <translation>Eine Runde eines dns-Tests wartet bis zu ihrem Timeout %1 auf die Antwort, länger als das Intervall %2; verringern Sie das Timeout oder verlängern Sie das Intervall.</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/hardware.cpp" line="-112"/>
        <source>The smart-timeout %1 is longer than the interval %2; lower it or raise the interval.</source>
        <translation>smart-timeout %1 ist länger als das Intervall %2; verringern Sie den Wert oder verlängern Sie das Intervall.</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/http.cpp" line="-174"/>
        <source>The parameter expect-status=%1 is not valid; use a status such as 200, or a class such as 2xx.</source>
        <translation>Der Parameter expect-status=%1 ist ungültig; verwenden Sie einen Status wie 200 oder eine Klasse wie 2xx.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>A HEAD request has no body to find expect= in; use method=GET.</source>
        <translation>Eine HEAD-Anfrage hat keinen Body, in dem expect= gesucht werden könnte; verwenden Sie method=GET.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An http round may take up to its timeout %1, longer than the interval %2; lower timeout or raise the interval.</source>
        <translation>Eine Runde eines http-Tests kann bis zu ihrem Timeout %1 dauern, länger als das Intervall %2; verringern Sie timeout oder verlängern Sie das Intervall.</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/ping.cpp" line="-145"/>
        <source>Give either dscp or tos, not both.</source>
        <translation>Geben Sie entweder dscp oder tos an, nicht beides.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The parameter source=%1 is not an IP address; give one of this host&apos;s addresses.</source>
        <translation>Der Parameter source=%1 ist keine IP-Adresse; geben Sie eine der Adressen dieses Hosts an.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The source address %1 and the target %2 are of different IP versions.</source>
        <translation>Die Quelladresse %1 und das Ziel %2 haben unterschiedliche IP-Versionen.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>A ping round (%1 echoes %2 apart, then %3 to wait) takes %4, longer than the interval %5; lower count, spacing or timeout, or raise the interval.</source>
        <translation>Eine Runde eines ping-Tests (%1 Echos im Abstand von %2, dann %3 Wartezeit) dauert %4, länger als das Intervall %5; verringern Sie count, spacing oder timeout oder verlängern Sie das Intervall.</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/qos.cpp" line="-162"/>
        <source>&quot;%1&quot; in classes= is not a DSCP class; use names like EF, AF41, CS1, BE or numbers 0-63.</source>
        <translation>&quot;%1&quot; in classes= ist keine DSCP-Klasse; verwenden Sie Namen wie EF, AF41, CS1, BE oder Zahlen von 0-63.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The class %1 is listed twice in classes=.</source>
        <translation>Die Klasse %1 steht zweimal in classes=.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Give 1 to %1 DSCP classes in classes=, e.g. classes=ef,af41,be.</source>
        <translation>Geben Sie in classes= 1 bis %1 DSCP-Klassen an, z. B. classes=ef,af41,be.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>A qos round (%1 classes x %2 packets %3 apart, then %4 to wait) takes %5, longer than the interval %6; lower count, spacing or timeout, or raise the interval.</source>
        <translation>Eine Runde eines qos-Tests (%1 Klassen x %2 Pakete im Abstand von %3, dann %4 Wartezeit) dauert %5, länger als das Intervall %6; verringern Sie count, spacing oder timeout oder verlängern Sie das Intervall.</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/system.cpp" line="-249"/>
        <source>&quot;%1&quot; in only= is not a part of the host; use some of: %2.</source>
        <translation>&quot;%1&quot; in only= ist kein Teil des Hosts; wählen Sie aus: %2.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>only= names no part of the host; use some of: %1.</source>
        <translation>only= nennt keinen Teil des Hosts; wählen Sie aus: %1.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; in interfaces= is not a network interface name (1 to 15 characters, no &apos;/&apos;, &apos;:&apos; or blank).</source>
        <translation>&quot;%1&quot; in interfaces= ist kein Name einer Netzwerkschnittstelle (1 bis 15 Zeichen, kein &apos;/&apos;, &apos;:&apos; oder Leerzeichen).</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/testtype.cpp" line="+36"/>
        <location line="+2"/>
        <location line="+20"/>
        <location line="+2"/>
        <source>%1 to %2</source>
        <translation>%1 bis %2</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>on or off</source>
        <translation>on oder off</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>EF, AF11 to AF43, CS0 to CS7, BE or 0 to 63</source>
        <translation>EF, AF11 bis AF43, CS0 bis CS7, BE oder 0 bis 63</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>an IP address of this host</source>
        <translation>eine IP-Adresse dieses Hosts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>an interface name</source>
        <translation>ein Schnittstellenname</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>text of at most %1 characters</source>
        <translation>Text mit höchstens %1 Zeichen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a file on the agent&apos;s host</source>
        <translation>eine Datei auf dem Host des Agenten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>an IP address, optionally with a port</source>
        <translation>eine IP-Adresse, optional mit Port</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>default %1</source>
        <translation>Standard %1</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>A %1 test has no parameter &quot;%2&quot;; it takes: %3.</source>
        <translation>Ein %1-Test hat keinen Parameter &quot;%2&quot;; mögliche Parameter: %3.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The parameter %1=%2 is not valid; use a whole number from %3 to %4.</source>
        <translation>Der Parameter %1=%2 ist ungültig; verwenden Sie eine ganze Zahl von %3 bis %4.</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+38"/>
        <location line="+37"/>
        <source>The parameter %1: %2</source>
        <translation>Parameter %1: %2</translation>
    </message>
    <message>
        <location line="-72"/>
        <location line="+38"/>
        <location line="+37"/>
        <source>The parameter %1=%2 is out of range; use %3 to %4.</source>
        <translation>Der Parameter %1=%2 liegt außerhalb des gültigen Bereichs; verwenden Sie %3 bis %4.</translation>
    </message>
    <message>
        <location line="-54"/>
        <source>The parameter %1=%2 is not valid; use on or off.</source>
        <translation>Der Parameter %1=%2 ist ungültig; verwenden Sie on oder off.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>The parameter %1=%2 is not valid; use EF, AF11 to AF43, CS0 to CS7, BE or a number from 0 to 63.</source>
        <translation>Der Parameter %1=%2 ist ungültig; verwenden Sie EF, AF11 bis AF43, CS0 bis CS7, BE oder eine Zahl von 0 bis 63.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The parameter %1=%2 is not valid; use %3 or %4.</source>
        <translation>Der Parameter %1=%2 ist ungültig; verwenden Sie %3 oder %4.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The parameter %1=%2 is not a network interface name (1 to 15 characters, no &apos;/&apos;, &apos;:&apos; or blank).</source>
        <translation>Der Parameter %1=%2 ist kein Name einer Netzwerkschnittstelle (1 bis 15 Zeichen, kein &apos;/&apos;, &apos;:&apos; oder Leerzeichen).</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The parameter %1 must be 1 to %2 characters long.</source>
        <translation>Der Parameter %1 muss 1 bis %2 Zeichen lang sein.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The parameter %1 contains a control character (a line break or tab, for example); give plain text.</source>
        <translation>Der Parameter %1 enthält ein Steuerzeichen (zum Beispiel einen Zeilenumbruch oder Tabulator); geben Sie einfachen Text an.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The parameter %1=%2 is not an absolute path; give the file&apos;s full path on the agent&apos;s host, starting with /.</source>
        <translation>Der Parameter %1=%2 ist kein absoluter Pfad; geben Sie den vollständigen Pfad der Datei auf dem Host des Agenten an, beginnend mit /.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The target says port %1 and the parameter port=%2; give the port once.</source>
        <translation>Das Ziel nennt Port %1 und der Parameter port=%2; geben Sie den Port nur einmal an.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The timeout %1 is longer than the interval %2; lower the timeout or raise the interval.</source>
        <translation>Das Timeout %1 ist länger als das Intervall %2; verringern Sie das Timeout oder verlängern Sie das Intervall.</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/tls.cpp" line="-108"/>
        <source>The parameter alpn=%1 is not valid; give protocol names separated by commas, e.g. h2,http/1.1.</source>
        <translation>Der Parameter alpn=%1 ist ungültig; geben Sie Protokollnamen durch Kommas getrennt an, z. B. h2,http/1.1.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Give at most %1 protocols in alpn.</source>
        <translation>Geben Sie in alpn höchstens %1 Protokolle an.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The parameter sni=%1 is not a host name.</source>
        <translation>Der Parameter sni=%1 ist kein Hostname.</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/traceroute.cpp" line="-67"/>
        <source>A traceroute round (up to %1 waves of %2 hops, each waiting %3) can take %4, longer than the interval %5; lower max-hops or timeout, or raise the interval.</source>
        <translation>Eine Runde eines traceroute-Tests (bis zu %1 Wellen von je %2 Hops, die jeweils %3 warten) kann %4 dauern, länger als das Intervall %5; verringern Sie max-hops oder timeout oder verlängern Sie das Intervall.</translation>
    </message>
    <message>
        <location filename="../shared/testtypes/voice.cpp" line="-107"/>
        <source>The codec &quot;%1&quot; is not one we can simulate; use one of: %2.</source>
        <translation>Der Codec &quot;%1&quot; kann nicht simuliert werden; verwenden Sie einen dieser: %2.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>A voice call of %1 and %2 to wait for the last answers needs an interval of at least %3, and a call lasts at least %4; the interval is %5. Raise the interval (10s suits a call of 9.5s) or shorten duration or timeout.</source>
        <translation>Ein Anruf von %1 plus %2 Wartezeit auf die letzten Antworten braucht ein Intervall von mindestens %3, und ein Anruf dauert mindestens %4; das Intervall beträgt %5. Verlängern Sie das Intervall (10s passt zu einem Anruf von 9.5s) oder verkürzen Sie duration oder timeout.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../console/main.cpp" line="+87"/>
        <source>No display found, so the console runs without a window (as with --headless).</source>
        <translation>Keine grafische Anzeige gefunden, daher läuft die Konsole ohne Fenster (wie mit --headless).</translation>
    </message>
</context>
</TS>
