// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "detailmodel.h"

#include <QDateTime>
#include <QHash>

#include "shared/util/bitrate.h"
#include "shared/util/bytesize.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

QString dateText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-dd"_s);
}

// "CN=www.example.com,O=Example" -> "www.example.com": what people call a certificate.
QString commonName(const QString &distinguishedName)
{
    for (const QString &part : distinguishedName.split(u',')) {
        if (part.startsWith(u"CN="_s))
            return part.mid(3);
    }
    return distinguishedName;
}

// "-50, -54, -46 dBm": a round's signal readings in order.
QString readingsText(const QList<int> &readings)
{
    QStringList texts;
    for (const int reading : readings)
        texts.append(QString::number(reading));
    return texts.join(u", "_s);
}

// A hardware source's name, as the agent's detail gives it, in the user's words.
QString sourceText(const QString &source)
{
    static const QHash<QString, const char *> names{
        {u"temperatures"_s, QT_TRANSLATE_NOOP("StreamSwarm::Console::DetailModel", "temperatures")},
        {u"fans"_s, QT_TRANSLATE_NOOP("StreamSwarm::Console::DetailModel", "fans")},
        {u"power"_s, QT_TRANSLATE_NOOP("StreamSwarm::Console::DetailModel", "CPU power")},
        {u"batteries"_s, QT_TRANSLATE_NOOP("StreamSwarm::Console::DetailModel", "batteries")},
        {u"memory-errors"_s, QT_TRANSLATE_NOOP("StreamSwarm::Console::DetailModel", "memory errors")},
        {u"drives"_s, QT_TRANSLATE_NOOP("StreamSwarm::Console::DetailModel", "drive health")}};
    const char *name = names.value(source);
    return name ? DetailModel::tr(name) : source;
}

} // namespace

DetailModel::DetailModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void DetailModel::setDetail(const Protocol::RoundDetail &detail)
{
    beginResetModel();
    m_summary.clear();
    m_headers.clear();
    m_rows.clear();
    m_tooltips.clear();
    const auto addChain = [this](const QList<Protocol::CertificateSummary> &chain) {
        m_headers = {tr("Certificate"), tr("Issued by"), tr("Valid from"), tr("Valid until"), tr("Names")};
        for (const Protocol::CertificateSummary &certificate : chain) {
            m_rows.append(
                {commonName(certificate.subject), commonName(certificate.issuer), dateText(certificate.notBeforeMs),
                    dateText(certificate.notAfterMs), QString(certificate.names).replace(u","_s, u", "_s)});
            m_tooltips.append(
                tr("Subject: %1\nIssuer: %2\nSerial: %3\nSHA-256: %4")
                    .arg(certificate.subject, certificate.issuer, certificate.serial, certificate.sha256));
        }
    };
    if (const auto *tls = detail.get<Protocol::TlsDetail>()) {
        QStringList agreed = {tls->version, tls->cipher};
        if (!tls->alpn.isEmpty())
            agreed << tr("ALPN %1").arg(tls->alpn);
        const QString where = tr("%1 port %2").arg(tls->address).arg(tls->port);
        m_summary = tls->trusted
            ? tr("%1 with %2. The certificate is trusted.").arg(agreed.join(u", "_s), where)
            : tr("%1 with %2. The certificate is not trusted: %3.").arg(agreed.join(u", "_s), where, tls->problem);
        addChain(tls->chain);
    } else if (const auto *dns = detail.get<Protocol::DnsDetail>()) {
        const QString how = dns->truncatedUdp ? tr("over TCP after a truncated UDP answer")
            : dns->transport == u"udp"        ? tr("over UDP")
                                              : tr("over TCP");
        if (dns->rcode.isEmpty()) {
            m_summary = tr("%1 %2: no answer from %3 (asked %4 times %5).")
                            .arg(dns->query, dns->queryType, dns->server)
                            .arg(dns->sends)
                            .arg(how);
        } else {
            m_summary = tr("%1 %2: %3 from %4 %5, %6 record(s)%7.")
                            .arg(dns->query, dns->queryType, dns->rcode, dns->server, how)
                            .arg(dns->answers.size())
                            .arg(dns->authoritative ? tr(", authoritative") : QString());
        }
        m_headers = {tr("Name"), tr("Type"), tr("TTL"), tr("Data")};
        for (const Protocol::DnsRecord &record : dns->answers) {
            m_rows.append({record.name, record.type, QString::number(record.ttl), record.data});
            m_tooltips.append(record.data);
        }
    } else if (const auto *http = detail.get<Protocol::HttpDetail>()) {
        // "HTTP/2 200 from 192.0.2.7 port 443, redirects followed: 2, ..., TLSv1.3, TLS_AES_256_GCM_SHA384."
        QStringList facts;
        facts << (http->status ? tr("HTTP/%1 %2 from %3 port %4")
                                     .arg(http->version)
                                     .arg(http->status)
                                     .arg(http->address)
                                     .arg(http->port)
                               : tr("No answer from %1").arg(http->url));
        if (!http->redirects.isEmpty())
            facts << tr("redirects followed: %1, to %2").arg(http->redirects.size()).arg(http->finalUrl);
        if (!http->tlsVersion.isEmpty())
            facts << http->tlsVersion << http->cipher;
        m_summary = facts.join(u", "_s) + u'.';
        if (http->trusted) {
            m_summary += u' '
                + (*http->trusted ? tr("The certificate is trusted.")
                                  : tr("The certificate is not trusted: %1.").arg(http->validation));
        }
        addChain(http->chain);
    } else if (const auto *hardware = detail.get<Protocol::HardwareDetail>()) {
        // "Battery BAT0: Discharging. Not available: fans (no fan speed sensor on this host)."
        QStringList facts;
        for (const Protocol::BatteryState &battery : hardware->batteries)
            facts << tr("Battery %1: %2.").arg(battery.name, battery.status.isEmpty() ? tr("unknown") : battery.status);
        QStringList missing;
        for (const Protocol::UnavailableHardware &source : hardware->unavailable)
            missing << tr("%1 (%2)").arg(sourceText(source.source), source.reason);
        if (!missing.isEmpty())
            facts << tr("Not available: %1.").arg(missing.join(u"; "_s));
        m_summary = facts.join(u' ');
        m_headers = {tr("Drive"), tr("Model"), tr("Serial number"), tr("Health")};
        for (const Protocol::DriveSummary &drive : hardware->drives) {
            const QString health = !drive.problem.isEmpty() ? drive.problem
                : !drive.passed                             ? tr("not reported")
                : *drive.passed                             ? tr("passed")
                                                            : tr("FAILING: back up its data and replace it");
            m_rows.append({drive.drive, drive.model, drive.serial, health});
            m_tooltips.append(tr("%1 (%2)").arg(drive.model, drive.protocol));
        }
    } else if (const auto *tcp = detail.get<Protocol::TcpDetail>()) {
        m_summary = tr("Connected to %1 port %2.").arg(tcp->address).arg(tcp->port);
    } else if (const auto *system = detail.get<Protocol::SystemDetail>()) {
        const QString host = system->kernel.isEmpty() ? tr("The host") : system->kernel;
        m_summary = system->unavailable.isEmpty()
            ? tr("%1: every part of the reading was available.").arg(host)
            : tr("%1: some parts could not be read; their figures are missing.").arg(host);
        m_headers = {tr("Not available"), tr("Why")};
        for (const Protocol::UnavailableSource &source : system->unavailable) {
            m_rows.append({source.what, source.why});
            m_tooltips.append(source.why);
        }
    } else if (const auto *wifi = detail.get<Protocol::WirelessDetail>()) {
        setWireless(*wifi);
    } else if (const auto *voice = detail.get<Protocol::VoiceDetail>()) {
        setVoice(*voice);
    } else if (const auto *bandwidth = detail.get<Protocol::BandwidthDetail>()) {
        setBandwidth(*bandwidth);
    }
    endResetModel();
}

// "G711, 20 ms per packet of 172 bytes, DSCP 46. One-way delays: ..." and a row per direction with
// every input the E-model was given, so the rating can be worked again by hand.
void DetailModel::setVoice(const Protocol::VoiceDetail &voice)
{
    m_summary = tr("%1 call, a %2 ms frame per packet of %3 bytes, DSCP %4; codec values Ie %5, Bpl %6%7.")
                    .arg(voice.codec.toUpper())
                    .arg(voice.frameMs)
                    .arg(voice.packetBytes)
                    .arg(voice.dscp)
                    .arg(voice.equipmentImpairment)
                    .arg(voice.lossRobustness)
                    .arg(voice.codecValuesFromG113 ? tr(" (ITU-T G.113)")
                                                   : tr(" (not published by the ITU; G.711's are used)"));
    if (!voice.oneWayDelaysLeftOut.isEmpty())
        m_summary
            += u' ' + tr("Half the round trip stands in for each one-way delay: %1.").arg(voice.oneWayDelaysLeftOut);
    m_headers
        = {tr("Direction"), tr("Lost"), tr("Jitter"), tr("Network delay"), tr("Mouth to ear"), tr("R"), tr("MOS")};
    const auto addDirection = [this](const QString &name, const Protocol::VoiceDirection &d) {
        m_rows.append({name, tr("%1 of %2 (%3 %)").arg(d.lost).arg(d.sent).arg(d.lossPct, 0, 'f', 2),
            tr("%1 ms").arg(d.jitterMs, 0, 'f', 2),
            (d.delayMeasured ? tr("%1 ms") : tr("%1 ms (half the round trip)")).arg(d.networkDelayMs, 0, 'f', 2),
            tr("%1 ms").arg(d.mouthToEarMs, 0, 'f', 1), QString::number(d.rating, 'f', 1),
            QString::number(d.mos, 'f', 2)});
        m_tooltips.append(tr("Delay impairment Id %1, effective equipment impairment Ie,eff %2, burst ratio %3")
                              .arg(d.delayImpairment, 0, 'f', 2)
                              .arg(d.effectiveEquipment, 0, 'f', 2)
                              .arg(d.burstRatio, 0, 'f', 2));
    };
    if (voice.there)
        addDirection(tr("There (this agent speaks)"), *voice.there);
    if (voice.back)
        addDirection(tr("Back (the peer speaks)"), *voice.back);
    if (!voice.there && !voice.back)
        m_summary += u' ' + tr("Nothing came back, so the call could not be rated.");
}

// "iperf3 to 192.0.2.7 port 5201: TCP, 4 streams, 10 s after 2 s of warm-up ..." (what was asked, so
// that it can be repeated with iperf3 itself), then each figure each end counted, then each second;
// a speed test (no port) has its download and upload, each second by second.
void DetailModel::setBandwidth(const Protocol::BandwidthDetail &b)
{
    const bool speedTest = b.port == 0;
    const QString where
        = b.address.isEmpty() || b.address == b.server ? b.server : tr("%1 (%2)").arg(b.server, b.address);
    QStringList asked{
        speedTest ? tr("Speed test at %1").arg(where) : tr("%1 to %2 port %3").arg(b.method, where).arg(b.port),
        tr("%1, %2, %3 s measured")
            .arg(b.protocol.toUpper(), b.streams == 1 ? tr("1 stream") : tr("%1 streams").arg(b.streams))
            .arg(b.seconds)};
    if (b.omitSeconds)
        asked.append(tr("after %1 s of warm-up").arg(b.omitSeconds));
    if (!speedTest)
        asked.append(b.reverse ? tr("the server sending") : tr("this agent sending"));
    if (b.bitrate)
        asked.append(tr("%1 per stream").arg(formatBitrate(b.bitrate)));
    if (b.dscp)
        asked.append(tr("DSCP %1").arg(b.dscp));
    m_summary = asked.join(u", "_s) + u'.';
    if (!b.engine.isEmpty())
        m_summary += u' ' + tr("Measured with %1.").arg(b.engine);
    if (b.waitedMs > 0)
        m_summary += u' '
            + tr("It waited %1 s for another bandwidth test on this agent to end.")
                  .arg(double(b.waitedMs) / 1000, 0, 'f', 1);
    m_headers = {tr("Figure"), tr("Value")};
    const auto add = [this](const QString &figure, const QString &value) {
        m_rows.append({figure, value});
        m_tooltips.append(figure + u": "_s + value);
    };
    if (speedTest) {
        for (const auto &[name, direction] :
            {std::pair{tr("Download"), b.download}, std::pair{tr("Upload"), b.upload}}) {
            if (!direction)
                continue;
            add(name,
                tr("%1 Mbit/s (%2 in %3 s)")
                    .arg(direction->mbps, 0, 'f', 2)
                    .arg(formatByteSize(direction->bytes))
                    .arg(direction->seconds, 0, 'f', 2));
            for (int second = 0; second < direction->intervalsMbps.size(); ++second)
                add(tr("%1, second %2").arg(name).arg(second + 1),
                    tr("%1 Mbit/s").arg(direction->intervalsMbps.at(second), 0, 'f', 2));
        }
        if (!b.download && !b.upload)
            m_summary += u' ' + tr("Nothing was measured.");
        return;
    }
    if (b.measuredSeconds <= 0 && !b.receivedBytes) {
        m_summary += u' ' + tr("Nothing was measured.");
        return;
    }
    add(tr("Arrived"),
        tr("%1 Mbit/s (%2 in %3 s)")
            .arg(b.receivedMbps, 0, 'f', 2)
            .arg(formatByteSize(b.receivedBytes))
            .arg(b.measuredSeconds, 0, 'f', 2));
    add(tr("Sent"), tr("%1 Mbit/s (%2)").arg(b.sentMbps, 0, 'f', 2).arg(formatByteSize(b.sentBytes)));
    if (b.retransmits)
        add(tr("TCP retransmissions"), QString::number(*b.retransmits));
    if (b.meanRttMs)
        add(tr("Round trip (TCP's smoothed RTT)"), tr("%1 ms").arg(*b.meanRttMs, 0, 'f', 2));
    if (!b.congestionControl.isEmpty())
        add(tr("Congestion control"), b.congestionControl);
    if (b.lostPackets && b.packets)
        add(tr("Datagrams lost"),
            tr("%1 of %2 (%3 %)").arg(*b.lostPackets).arg(*b.packets).arg(b.lossPct.value_or(0), 0, 'f', 2));
    if (b.jitterMs)
        add(tr("Jitter"), tr("%1 ms").arg(*b.jitterMs, 0, 'f', 3));
    if (b.localCpuPct)
        add(tr("CPU used here"), tr("%1 %").arg(*b.localCpuPct, 0, 'f', 1));
    if (b.remoteCpuPct)
        add(tr("CPU used at the server"), tr("%1 %").arg(*b.remoteCpuPct, 0, 'f', 1));
    for (int second = 0; second < b.intervalsMbps.size(); ++second)
        add(tr("Second %1").arg(second + 1), tr("%1 Mbit/s").arg(b.intervalsMbps.at(second), 0, 'f', 2));
}

void DetailModel::setWireless(const Protocol::WirelessDetail &wifi)
{
    if (!wifi.unavailable.isEmpty()) {
        m_summary = wifi.unavailable;
        return;
    }
    const QString network = wifi.ssid.isEmpty() ? tr("a hidden network") : tr("\"%1\"").arg(wifi.ssid);
    if (!wifi.connected) {
        m_summary = tr("%1 is not connected to a Wi-Fi network.").arg(wifi.interfaceName);
    } else if (wifi.channel) {
        m_summary = tr("%1 is connected to %2 through access point %3 on channel %4.")
                        .arg(wifi.interfaceName, network, wifi.bssid)
                        .arg(*wifi.channel);
    } else {
        m_summary = tr("%1 is connected to %2 through access point %3.").arg(wifi.interfaceName, network, wifi.bssid);
    }
    if (!wifi.previousBssid.isEmpty())
        m_summary += u' ' + tr("It moved here from access point %1 since the round before.").arg(wifi.previousBssid);
    // One row per figure the round has; what the driver did not report is left out, not shown as 0.
    m_headers = {tr("Reading"), tr("Value")};
    const auto add = [this](const QString &name, const QString &value, const QString &tooltip = QString()) {
        m_rows.append({name, value});
        m_tooltips.append(tooltip);
    };
    if (wifi.frequencyMhz) {
        add(tr("Frequency"),
            wifi.channelWidthMhz ? tr("%1 MHz, %2 MHz wide").arg(*wifi.frequencyMhz).arg(*wifi.channelWidthMhz)
                                 : tr("%1 MHz").arg(*wifi.frequencyMhz));
    }
    if (!wifi.signalDbm.isEmpty())
        add(tr("Signal readings"), tr("%1 dBm").arg(readingsText(wifi.signalDbm)), tr("In the order they were taken"));
    if (wifi.noiseDbm)
        add(tr("Noise"), tr("%1 dBm").arg(*wifi.noiseDbm));
    if (wifi.linkQualityPct)
        add(tr("Link quality"), tr("%1 %").arg(*wifi.linkQualityPct));
    if (wifi.txBitrateMbps)
        add(tr("Sending rate"), tr("%1 Mbit/s").arg(*wifi.txBitrateMbps));
    if (wifi.rxBitrateMbps)
        add(tr("Receiving rate"), tr("%1 Mbit/s").arg(*wifi.rxBitrateMbps));
    if (wifi.txPowerDbm)
        add(tr("Transmit power"), tr("%1 dBm").arg(*wifi.txPowerDbm));
    if (!wifi.mac.isEmpty())
        add(tr("Interface address"), wifi.mac);
}

int DetailModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DetailModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant DetailModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    if (role == Qt::DisplayRole)
        return m_rows.at(index.row()).value(index.column());
    if (role == Qt::ToolTipRole)
        return m_tooltips.value(index.row());
    return {};
}

QVariant DetailModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return m_headers.value(section);
}

} // namespace StreamSwarm::Console
