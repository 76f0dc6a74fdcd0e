// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <cstring>

#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include "shared/metrics/catalog.h"
#include "shared/testtypes/ping.h"
#include "shared/testtypes/traceroute.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;

class TestCatalog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void namesAreUniqueAndWellFormed();
    void everyMetricIsDescribed();
    void find_data();
    void find();
    void findReturnsTheCatalogEntry();
    void forTestType_data();
    void forTestType();
    void pingMetrics();
    void qosFiguresPerClass();
    void constantsAreInTheCatalog();
    void sampleNamesCarryTheInstance_data();
    void sampleNamesCarryTheInstance();
    void malformedSampleNamesAreRefused_data();
    void malformedSampleNamesAreRefused();
    void findSampleChecksTheLabel();
};

void TestCatalog::namesAreUniqueAndWellFormed()
{
    // test type, dot, metric; qos metrics have the DSCP class in between ("qos.ef.loss_pct").
    static const QRegularExpression pattern(u"^[a-z0-9_]+\\.([a-z0-9]+\\.)?[a-z0-9_]+$"_s);
    QVERIFY(pattern.isValid());
    QSet<QString> seen;
    for (const MetricInfo &info : MetricCatalog::all()) {
        QVERIFY2(pattern.match(info.name).hasMatch(), qPrintable(info.name));
        QVERIFY2(!seen.contains(info.name), qPrintable(u"duplicate "_s + info.name));
        seen.insert(info.name);
    }
    QVERIFY(seen.size() >= 9);
}

void TestCatalog::everyMetricIsDescribed()
{
    for (const MetricInfo &info : MetricCatalog::all()) {
        QVERIFY2(!info.unit.isEmpty(), qPrintable(info.name));
        QVERIFY2(!info.unit.contains(u' '), qPrintable(info.name + u": unit "_s + info.unit));
        QVERIFY2(info.description && std::strlen(info.description) >= 10, qPrintable(info.name));
        // No translation is loaded, so describe() gives the English text back.
        QCOMPARE(MetricCatalog::describe(info), QString::fromUtf8(info.description));
        QVERIFY2(!MetricCatalog::describe(info).contains(u'\n'), qPrintable(info.name)); // one line
    }
}

void TestCatalog::find_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<int>("kind");

    QTest::newRow("rtt avg") << u"ping.rtt_avg_ms"_s << true << u"ms"_s << int(MetricKind::Gauge);
    QTest::newRow("loss") << u"ping.loss_pct"_s << true << u"%"_s << int(MetricKind::Gauge);
    QTest::newRow("sent") << u"ping.sent"_s << true << u"count"_s << int(MetricKind::Counter);
    QTest::newRow("duplicates") << u"ping.duplicates"_s << true << u"count"_s << int(MetricKind::Counter);
    QTest::newRow("median") << u"ping.rtt_median_ms"_s << true << u"ms"_s << int(MetricKind::Gauge);
    QTest::newRow("reordered") << u"ping.reordered"_s << true << u"count"_s << int(MetricKind::Counter);
    QTest::newRow("traceroute hops") << u"traceroute.hops"_s << true << u"count"_s << int(MetricKind::Gauge);
    QTest::newRow("traceroute reached") << u"traceroute.reached"_s << true << u"bool"_s << int(MetricKind::Gauge);
    QTest::newRow("traceroute dest rtt") << u"traceroute.dest_rtt_ms"_s << true << u"ms"_s << int(MetricKind::Gauge);
    QTest::newRow("traceroute dest loss") << u"traceroute.dest_loss_pct"_s << true << u"%"_s << int(MetricKind::Gauge);
    QTest::newRow("traceroute route changed")
        << u"traceroute.route_changed"_s << true << u"bool"_s << int(MetricKind::Gauge);
    QTest::newRow("qos jitter there") << u"qos.ef.fwd_jitter_ms"_s << true << u"ms"_s << int(MetricKind::Gauge);
    QTest::newRow("qos jitter back") << u"qos.af41.bwd_jitter_ms"_s << true << u"ms"_s << int(MetricKind::Gauge);
    QTest::newRow("qos reordered there") << u"qos.cs1.fwd_reordered"_s << true << u"count"_s
                                         << int(MetricKind::Counter);
    QTest::newRow("qos reordered back") << u"qos.be.bwd_reordered"_s << true << u"count"_s << int(MetricKind::Counter);
    QTest::newRow("qos duplicates there")
        << u"qos.ef.fwd_duplicates"_s << true << u"count"_s << int(MetricKind::Counter);
    QTest::newRow("qos duplicates back") << u"qos.af43.bwd_duplicates"_s << true << u"count"_s
                                         << int(MetricKind::Counter);
    QTest::newRow("qos figure without class") << u"qos.fwd_jitter_ms"_s << false << QString() << 0;
    QTest::newRow("unknown") << u"ping.rtt_p99_ms"_s << false << QString() << 0;
    QTest::newRow("case matters") << u"PING.rtt_avg_ms"_s << false << QString() << 0;
    QTest::newRow("prefix only") << u"ping."_s << false << QString() << 0;
    QTest::newRow("longer") << u"ping.rtt_avg_ms2"_s << false << QString() << 0;
    QTest::newRow("empty") << QString() << false << QString() << 0;
}

void TestCatalog::find()
{
    QFETCH(QString, name);
    QFETCH(bool, found);
    QFETCH(QString, unit);
    QFETCH(int, kind);

    const MetricInfo *info = MetricCatalog::find(name);
    QCOMPARE(info != nullptr, found);
    if (!info)
        return;
    QCOMPARE(info->name, name);
    QCOMPARE(info->unit, unit);
    QCOMPARE(int(info->kind), kind);
}

void TestCatalog::findReturnsTheCatalogEntry()
{
    // Callers keep the pointer: it must point into the one catalog, not at a copy.
    const MetricInfo *info = MetricCatalog::find(u"ping.jitter_ms");
    QVERIFY(info);
    QVERIFY(info >= MetricCatalog::all().constData());
    QVERIFY(info < MetricCatalog::all().constData() + MetricCatalog::all().size());
    QCOMPARE(MetricCatalog::find(u"ping.jitter_ms"), info);
}

void TestCatalog::forTestType_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("count");

    QTest::newRow("ping") << u"ping"_s << 13;
    QTest::newRow("prefix of ping") << u"pin"_s << 0;
    QTest::newRow("traceroute") << u"traceroute"_s << 5;
    // 21 classes (be, ef, cs1-cs7, af11-af43) x 17 figures.
    QTest::newRow("qos") << u"qos"_s << 21 * 17;
    QTest::newRow("ping with dot") << u"ping."_s << 0;
    QTest::newRow("pingx") << u"pingx"_s << 0;
    QTest::newRow("capitals") << u"PING"_s << 0;
    QTest::newRow("empty") << QString() << 0;
    QTest::newRow("unknown type") << u"smtp"_s << 0;
}

void TestCatalog::forTestType()
{
    QFETCH(QString, type);
    QFETCH(int, count);

    const QList<MetricInfo> metrics = MetricCatalog::forTestType(type);
    QCOMPARE(metrics.size(), count);
    for (const MetricInfo &info : metrics)
        QVERIFY2(info.name.startsWith(type + u'.'), qPrintable(info.name));
}

void TestCatalog::pingMetrics()
{
    QStringList names;
    for (const MetricInfo &info : MetricCatalog::forTestType(u"ping"))
        names.append(info.name);
    names.sort();
    const QStringList expected{u"ping.duplicates"_s, u"ping.icmp_errors"_s, u"ping.jitter_ms"_s, u"ping.loss_pct"_s,
        u"ping.received"_s, u"ping.reordered"_s, u"ping.rtt_avg_ms"_s, u"ping.rtt_max_ms"_s, u"ping.rtt_mdev_ms"_s,
        u"ping.rtt_median_ms"_s, u"ping.rtt_min_ms"_s, u"ping.rtt_stddev_ms"_s, u"ping.sent"_s};
    QCOMPARE(names, expected);
}

void TestCatalog::qosFiguresPerClass()
{
    QStringList figures;
    for (const MetricInfo &info : MetricCatalog::forTestType(u"qos")) {
        if (info.name.startsWith(u"qos.ef."))
            figures.append(info.name.mid(7));
    }
    figures.sort();
    const QStringList expected{u"bwd_duplicates"_s, u"bwd_jitter_ms"_s, u"bwd_loss_pct"_s, u"bwd_owd_ms"_s,
        u"bwd_reordered"_s, u"dscp_kept"_s, u"fwd_duplicates"_s, u"fwd_jitter_ms"_s, u"fwd_loss_pct"_s, u"fwd_owd_ms"_s,
        u"fwd_reordered"_s, u"jitter_ms"_s, u"loss_pct"_s, u"rtt_max_ms"_s, u"rtt_median_ms"_s, u"rtt_min_ms"_s,
        u"sent"_s};
    QCOMPARE(figures, expected);
}

void TestCatalog::constantsAreInTheCatalog()
{
    for (const char16_t *name : {Metric::PingRttMin, Metric::PingRttAvg, Metric::PingRttMax, Metric::PingRttMdev,
             Metric::PingJitter, Metric::PingLoss, Metric::PingSent, Metric::PingReceived, Metric::PingDuplicates,
             Metric::PingRttMedian, Metric::PingRttStddev, Metric::PingReordered, Metric::PingIcmpErrors}) {
        QVERIFY2(MetricCatalog::find(QStringView(name)), qPrintable(QString::fromUtf16(name)));
    }
    for (const char16_t *name : {Metric::TracerouteHops, Metric::TracerouteReached, Metric::TracerouteDestRtt,
             Metric::TracerouteDestLoss, Metric::TracerouteRouteChanged}) {
        QVERIFY2(MetricCatalog::find(QStringView(name)), qPrintable(QString::fromUtf16(name)));
    }
}

void TestCatalog::sampleNamesCarryTheInstance_data()
{
    QTest::addColumn<QString>("instance");
    QTest::addColumn<QString>("written");

    QTest::newRow("interface") << u"eth0"_s << u"if.rx_bytes_per_s{if=eth0}"_s;
    QTest::newRow("mount point") << u"/var/lib"_s << u"if.rx_bytes_per_s{if=/var/lib}"_s;
    QTest::newRow("sensor with spaces") << u"Core 0"_s << u"if.rx_bytes_per_s{if=Core 0}"_s;
    QTest::newRow("braces and equals") << u"a{b}=c,d\"e\\"_s << u"if.rx_bytes_per_s{if=a_b__c_d_e_}"_s;
    QTest::newRow("control character") << u"a\nb\tc"_s << u"if.rx_bytes_per_s{if=a_b_c}"_s;
    QTest::newRow("empty") << QString() << u"if.rx_bytes_per_s{if=_}"_s;
    QTest::newRow("too long") << QString(200, u'x')
                              << u"if.rx_bytes_per_s{if=%1}"_s.arg(QString(MAX_INSTANCE_LENGTH, u'x'));
}

void TestCatalog::sampleNamesCarryTheInstance()
{
    QFETCH(QString, instance);
    QFETCH(QString, written);
    const QString name = sampleName(u"if.rx_bytes_per_s", u"if", instance);
    QCOMPARE(name, written);
    QVERIFY(name.size() <= MAX_SAMPLE_NAME_LENGTH);
    const std::optional<SampleName> parts = parseSampleName(name);
    QVERIFY(parts);
    QCOMPARE(parts->base, u"if.rx_bytes_per_s"_s);
    QCOMPARE(parts->label, u"if"_s);
    QCOMPARE(sampleName(parts->base, parts->label, parts->instance), name); // read back, written the same
}

void TestCatalog::malformedSampleNamesAreRefused_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("no label") << u"if.rx_bytes_per_s{}"_s;
    QTest::newRow("no instance") << u"if.rx_bytes_per_s{if=}"_s;
    QTest::newRow("not closed") << u"if.rx_bytes_per_s{if=eth0"_s;
    QTest::newRow("text after") << u"if.rx_bytes_per_s{if=eth0}x"_s;
    QTest::newRow("two labels") << u"if.rx_bytes_per_s{if=eth0,dir=rx}"_s;
    QTest::newRow("brace inside") << u"if.rx_bytes_per_s{if=e{th0}"_s;
    QTest::newRow("capital base") << u"IF.rx{if=eth0}"_s;
    QTest::newRow("space in base") << u"if rx{if=eth0}"_s;
    QTest::newRow("too long") << u"if.rx{if=%1}"_s.arg(QString(MAX_SAMPLE_NAME_LENGTH, u'x'));
}

void TestCatalog::malformedSampleNamesAreRefused()
{
    QFETCH(QString, name);
    QVERIFY(!parseSampleName(name));
    QVERIFY(!MetricCatalog::findSample(name));
}

void TestCatalog::findSampleChecksTheLabel()
{
    const MetricInfo *plain = MetricCatalog::find(u"ping.rtt_avg_ms");
    QVERIFY(plain && plain->instanceLabel.isEmpty());
    QCOMPARE(MetricCatalog::findSample(u"ping.rtt_avg_ms"), plain);
    // A single-value metric has no instances.
    QVERIFY(!MetricCatalog::findSample(u"ping.rtt_avg_ms{if=eth0}"));
    QVERIFY(!MetricCatalog::findSample(u"ping.no_such_metric"));
    // Every per-instance metric is found through its label, and only through it.
    for (const MetricInfo &info : MetricCatalog::all()) {
        if (info.instanceLabel.isEmpty())
            continue;
        QCOMPARE(MetricCatalog::findSample(sampleName(info.name, info.instanceLabel, u"x")), &info);
        QVERIFY(!MetricCatalog::findSample(info.name));
        QVERIFY(!MetricCatalog::findSample(sampleName(info.name, QString(info.instanceLabel + u"x"), u"x")));
    }
}

QTEST_APPLESS_MAIN(TestCatalog)

#include "tst_catalog.moc"
