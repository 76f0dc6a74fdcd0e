// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <algorithm>

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// Every product source file (agent/, console/, shared/) as (path from the repository, text).
QList<std::pair<QString, QString>> productFiles(const QString &source)
{
    QList<std::pair<QString, QString>> files;
    for (const QString &folder : {u"agent"_s, u"console"_s, u"shared"_s}) {
        QDirIterator it(source + u'/' + folder, {u"*.cpp"_s, u"*.h"_s}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            if (file.open(QIODevice::ReadOnly))
                files.append({path.mid(source.size() + 1), QString::fromUtf8(file.readAll())});
        }
    }
    return files;
}

} // namespace

// Rules of the tree's shape that the compiler cannot see, checked on the sources themselves.
class TestLayering final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void windowsAndCommandsUseOnlyTheApplicationLayer();
    void onlyThePlatformLayerReadsSockets();
    void aTestTypesFilesAreItsOwn();
    void noProductFileIsTooLong();

private:
    QList<std::pair<QString, QString>> m_files;
};

void TestLayering::initTestCase()
{
    const QString source = qEnvironmentVariable("STREAMSWARM_SOURCE_DIR");
    if (source.isEmpty())
        QSKIP("STREAMSWARM_SOURCE_DIR is not set (run through ctest)");
    m_files = productFiles(source);
    QVERIFY2(m_files.size() > 100, qPrintable(source)); // the tree was found, not an empty folder
}

// The repositories are storage's own: windows and commands act and read through console/app/, so an
// action, its checks and its audit line exist once.
void TestLayering::windowsAndCommandsUseOnlyTheApplicationLayer()
{
    const QRegularExpression reach(
        uR"((#include\s+"console/storage/(\w+repository|storageservice)\.h")|(\bstorage\(\))|(\bRepositories\b))"_s);
    QStringList found;
    int checked = 0;
    for (const auto &[path, text] : std::as_const(m_files)) {
        if (!path.startsWith(u"console/ui/"_s) && !path.startsWith(u"console/cli/"_s))
            continue;
        ++checked;
        auto matches = reach.globalMatch(text);
        while (matches.hasNext()) {
            const auto match = matches.next();
            const int line = int(text.left(match.capturedStart()).count(u'\n')) + 1;
            found.append(u"%1:%2: %3"_s.arg(path).arg(line).arg(match.captured(0)));
        }
    }
    QVERIFY(checked > 10);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
}

// Probes parse packets; agent/platform/ owns the system calls that read them (and their control
// messages), so a second operating system means a second platform folder, not edits in every probe.
void TestLayering::onlyThePlatformLayerReadsSockets()
{
    const QRegularExpression reach(uR"(\b(recvmsg|recvmmsg|CMSG_FIRSTHDR|MSG_ERRQUEUE)\b)"_s);
    QStringList found;
    int platformFiles = 0;
    for (const auto &[path, text] : std::as_const(m_files)) {
        if (!path.startsWith(u"agent/"_s))
            continue;
        // Comments may name the call; code may not.
        QString code = text;
        code.remove(QRegularExpression(u"//[^\n]*"_s));
        const bool platform = path.startsWith(u"agent/platform/"_s);
        auto matches = reach.globalMatch(code);
        while (matches.hasNext()) {
            const auto match = matches.next();
            if (platform) {
                ++platformFiles;
                break;
            }
            const int line = int(code.left(match.capturedStart()).count(u'\n')) + 1;
            found.append(u"%1:%2: %3"_s.arg(path).arg(line).arg(match.captured(0)));
        }
    }
    QVERIFY(platformFiles > 0); // the rule looks at the right thing
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
}

// A test type is its descriptor (shared/testtypes/NAME.*), its detail record (shared/protocol/details/
// NAME.*) and its probe folder (agent/probes/NAME/). Only those name each other, and details.h, whose
// variant lists every record; the registry, the probe factory and the metric catalog reach a type
// through its descriptor alone, so adding one edits none of them.
void TestLayering::aTestTypesFilesAreItsOwn()
{
    QSet<QString> types;
    const QRegularExpression probeFolder(uR"(^agent/probes/(\w+)/)"_s);
    for (const auto &[path, text] : std::as_const(m_files)) {
        if (const auto match = probeFolder.match(path); match.hasMatch())
            types.insert(match.captured(1));
    }
    QVERIFY2(types.contains(u"ping"_s) && types.contains(u"qos"_s),
        qPrintable(QStringList(types.cbegin(), types.cend()).join(u' ')));
    QStringList found;
    for (const QString &type : std::as_const(types)) {
        const QRegularExpression include(
            uR"re(#include\s+"(shared/testtypes/%1\.h|shared/protocol/details/%1\.h|agent/probes/%1/[^"]+)")re"_s.arg(
                type));
        const QStringList own{u"agent/probes/%1/"_s.arg(type), u"shared/testtypes/%1."_s.arg(type),
            u"shared/protocol/details/%1."_s.arg(type)};
        for (const auto &[path, text] : std::as_const(m_files)) {
            if (path == u"shared/protocol/details.h"
                || std::any_of(
                    own.cbegin(), own.cend(), [&](const QString &prefix) { return path.startsWith(prefix); }))
                continue;
            auto matches = include.globalMatch(text);
            while (matches.hasNext()) {
                const auto match = matches.next();
                const int line = int(text.left(match.capturedStart()).count(u'\n')) + 1;
                found.append(u"%1:%2: %3"_s.arg(path).arg(line).arg(match.captured(0)));
            }
        }
    }
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
}

void TestLayering::noProductFileIsTooLong()
{
    constexpr int MAX_LINES = 800;
    QStringList found;
    for (const auto &[path, text] : std::as_const(m_files)) {
        const auto lines = text.count(u'\n');
        if (lines > MAX_LINES)
            found.append(u"%1: %2 lines"_s.arg(path).arg(lines));
    }
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
}

QTEST_APPLESS_MAIN(TestLayering)
#include "tst_layering.moc"
