// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QDirIterator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include "shared/metrics/catalog.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/testtype.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using TestTypes::ParamKind;

namespace {

constexpr qint64 ROOMY_INTERVAL_MS = 3600 * 1000; // no round of any type is this long

// A test of this type with one parameter set, a target its type takes and an interval with room.
Protocol::TestSpec specWith(const TestTypes::TestType &type, const QString &key, const QString &value)
{
    Protocol::TestSpec spec;
    spec.name = u"t"_s;
    spec.type = type.name;
    spec.target = type.exampleTarget.isEmpty() ? u"192.0.2.1"_s : type.exampleTarget;
    // A host-and-port target gives its port to the parameter being tried.
    if (key == u"port" && type.target == TestTypes::TargetKind::HostPort)
        spec.target = spec.target.section(u':', 0, 0);
    spec.intervalMs = ROOMY_INTERVAL_MS;
    if (!key.isEmpty())
        spec.params.insert(key, value);
    return spec;
}

QString valueText(const TestTypes::ParamInfo &param, qint64 value)
{
    return param.kind == ParamKind::Duration ? formatDurationMs(value) : QString::number(value);
}

} // namespace

class TestTestTypes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyTypeIsDescribedInFull();
    void rangesAreTheOnesValidationEnforces();
    void defaultsAreValidValues();
    void chartsDrawCatalogMetrics();
    void helpNamesEveryParameter();
    void lookupIsExact();
    void menusOfferTheTypesInTheirOrder();
    void typeNamesAreComparedOnlyInTheRegistry();
};

void TestTestTypes::everyTypeIsDescribedInFull()
{
    QSet<QString> names;
    QSet<int> menuOrders;
    QVERIFY(!TestTypes::all().isEmpty());
    for (const TestTypes::TestType &type : TestTypes::all()) {
        QVERIFY2(!type.name.isEmpty() && !names.contains(type.name), qPrintable(type.name));
        names.insert(type.name);
        QVERIFY2(!menuOrders.contains(type.menuOrder), qPrintable(type.name));
        menuOrders.insert(type.menuOrder);
        QVERIFY2(type.summary && *type.summary, qPrintable(type.name));
        QVERIFY2(type.checkParams, qPrintable(type.name));
        // The type's family is what the catalog lists for it, no more and no less. A network test's metrics
        // start with its family's name; a test of the agent's own host has several families (cpu., if.).
        QVERIFY2(!type.metrics.isEmpty(), qPrintable(type.name));
        for (const MetricInfo &metric : type.metrics) {
            const QString where = type.name + u": "_s + metric.name;
            if (type.target != TestTypes::TargetKind::ThisHost)
                QVERIFY2(metric.name.startsWith(type.metricFamily + u'.'), qPrintable(where));
            const MetricInfo *listed = MetricCatalog::find(metric.name);
            QVERIFY2(
                listed && listed->unit == metric.unit && listed->description == metric.description, qPrintable(where));
        }
        QCOMPARE(MetricCatalog::forTestType(type.name).size(), type.metrics.size());
        QVERIFY2(type.detailKind != StreamSwarm::Protocol::DetailKind::None, qPrintable(type.name));
        QSet<QString> keys;
        for (const TestTypes::ParamInfo &param : type.params) {
            const QString where = type.name + u' ' + param.key;
            QVERIFY2(!param.key.isEmpty() && !keys.contains(param.key), qPrintable(where));
            keys.insert(param.key);
            QVERIFY2(param.help && *param.help, qPrintable(where));
            if (param.kind == ParamKind::Integer || param.kind == ParamKind::Duration)
                QVERIFY2(param.minimum <= param.maximum, qPrintable(where));
            // A default that follows from other values (bandwidth's direction, by method) is left empty.
            if (param.kind == ParamKind::Choice)
                QVERIFY2(param.choices.size() >= 2
                        && (param.defaultText.isEmpty() || param.choices.contains(param.defaultText)),
                    qPrintable(where));
        }
        QVERIFY2(type.params.size() <= Validation::MAX_PARAMS, qPrintable(type.name));
    }
    const QStringList planned = TestTypes::plannedNames();
    QVERIFY(!names.intersects(QSet<QString>(planned.cbegin(), planned.cend())));
}

// The descriptor's range is the validator's: both ends taken, one past each refused with a message
// that names the range the descriptor gives.
void TestTestTypes::rangesAreTheOnesValidationEnforces()
{
    int checked = 0;
    for (const TestTypes::TestType &type : TestTypes::all()) {
        for (const TestTypes::ParamInfo &param : type.params) {
            if (param.kind != ParamKind::Integer && param.kind != ParamKind::Duration)
                continue;
            // Parameters whose highest value depends on another one (traceroute's UDP port) are
            // checked at their minimum only.
            const bool dependentMaximum = type.name == u"traceroute" && param.key == u"port";
            const QString where = type.name + u' ' + param.key;
            QString error;
            QVERIFY2(Validation::checkTestSpec(specWith(type, param.key, valueText(param, param.minimum)), &error),
                qPrintable(where + u": "_s + error));
            if (!dependentMaximum) {
                QVERIFY2(Validation::checkTestSpec(specWith(type, param.key, valueText(param, param.maximum)), &error),
                    qPrintable(where + u": "_s + error));
                QVERIFY2(
                    !Validation::checkTestSpec(specWith(type, param.key, valueText(param, param.maximum + 1)), &error),
                    qPrintable(where));
                QVERIFY2(error.contains(valueText(param, param.maximum)), qPrintable(where + u": "_s + error));
            }
            if (param.minimum > 0) {
                QVERIFY2(
                    !Validation::checkTestSpec(specWith(type, param.key, valueText(param, param.minimum - 1)), &error),
                    qPrintable(where));
                QVERIFY2(error.contains(param.key), qPrintable(where + u": "_s + error));
            }
            ++checked;
        }
    }
    QVERIFY(checked >= 10);
}

void TestTestTypes::defaultsAreValidValues()
{
    for (const TestTypes::TestType &type : TestTypes::all()) {
        QString error;
        QVERIFY2(Validation::checkTestSpec(specWith(type, {}, {}), &error), qPrintable(type.name + u": "_s + error));
        for (const TestTypes::ParamInfo &param : type.params) {
            if (param.defaultText.isEmpty())
                continue;
            QVERIFY2(Validation::checkTestSpec(specWith(type, param.key, param.defaultText), &error),
                qPrintable(type.name + u' ' + param.key + u": "_s + error));
        }
    }
}

void TestTestTypes::chartsDrawCatalogMetrics()
{
    for (const TestTypes::TestType &type : TestTypes::all()) {
        const Protocol::TestSpec spec = specWith(type, {}, {});
        // Every class the test names charts metrics the catalog knows.
        const QStringList classes = type.chartClasses ? type.chartClasses(spec) : QStringList{QString()};
        QVERIFY2(!classes.isEmpty(), qPrintable(type.name));
        for (const QString &chartClass : classes) {
            for (const QString &pattern : {type.chart.line, type.chart.minimum, type.chart.maximum, type.chart.loss}) {
                if (pattern.isEmpty())
                    continue;
                const QString metric = TestTypes::chartMetric(pattern, chartClass);
                QVERIFY2(MetricCatalog::find(metric), qPrintable(type.name + u": "_s + metric));
            }
        }
        QVERIFY2(!type.chart.line.isEmpty() && type.chart.lineName && type.chart.title, qPrintable(type.name));
    }
}

void TestTestTypes::helpNamesEveryParameter()
{
    for (const TestTypes::TestType &type : TestTypes::all()) {
        const QString help = TestTypes::describeType(type);
        QVERIFY(help.startsWith(type.name + u':'));
        for (const TestTypes::ParamInfo &param : type.params) {
            const QString line = u"\n    "_s + TestTypes::describeParam(param) + u'\n';
            QVERIFY2(help.contains(line), qPrintable(help));
            QVERIFY2(line.startsWith(u"\n    "_s + param.key + u' ') || line.startsWith(u"\n    "_s + param.key + u':'),
                qPrintable(line));
            if (!param.defaultText.isEmpty())
                QVERIFY2(line.contains(u"default "_s + param.defaultText + u')'), qPrintable(line));
        }
    }
}

void TestTestTypes::lookupIsExact()
{
    for (const TestTypes::TestType &type : TestTypes::all())
        QCOMPARE(TestTypes::find(type.name), &type);
    QVERIFY(!TestTypes::find(u"PING"));
    QVERIFY(!TestTypes::find(u""));
    QVERIFY(!TestTypes::find(u"bandwidt"));
    QCOMPARE(Validation::runnableTestTypes(), TestTypes::names());
}

// Each descriptor registers itself; menus list them by their order key, not by file name.
void TestTestTypes::menusOfferTheTypesInTheirOrder()
{
    const QStringList names = TestTypes::names();
    QVERIFY(names.size() >= 3);
    QCOMPARE(names.mid(0, 3), (QStringList{u"ping"_s, u"traceroute"_s, u"qos"_s}));
    for (qsizetype i = 1; i < TestTypes::all().size(); ++i)
        QVERIFY(TestTypes::all().at(i - 1).menuOrder < TestTypes::all().at(i).menuOrder);
}

// The type's name is said once, in its descriptor: product code outside shared/testtypes/ never
// compares a test's type with a literal name.
void TestTestTypes::typeNamesAreComparedOnlyInTheRegistry()
{
    const QString source = qEnvironmentVariable("STREAMSWARM_SOURCE_DIR");
    if (source.isEmpty())
        QSKIP("STREAMSWARM_SOURCE_DIR is not set (run through ctest)");
    QStringList names = TestTypes::names() + TestTypes::plannedNames();
    const QRegularExpression comparison(
        u"(==|!=)\\s*(u|QLatin1String\\(|QStringLiteral\\()?\"("_s + names.join(u'|') + u")\""_s);
    QStringList found;
    for (const QString &folder : {u"agent"_s, u"console"_s, u"shared"_s}) {
        QDirIterator it(source + u'/' + folder, {u"*.cpp"_s, u"*.h"_s}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.contains(u"/shared/testtypes/"_s))
                continue;
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(file.readAll());
            const auto match = comparison.match(text);
            if (match.hasMatch())
                found.append(path.mid(source.size() + 1) + u": "_s + match.captured(0));
        }
    }
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
}

QTEST_GUILESS_MAIN(TestTestTypes)
#include "tst_testtypes.moc"
