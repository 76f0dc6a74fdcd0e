// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The E-model against G.107 worked by hand: the recommendation's own anchor (R = 93.2 with every
// default), Annex B's MOS curve, and ratings for delays, codecs and losses worked term by term from
// the formulas of G.107 (06/2015) clauses 7.1 to 7.4 with the Table 3 defaults (the working is in the
// comments; the figures were carried to four places outside our code).
#include <cmath>

#include <QTest>

#include "shared/metrics/emodel.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;

class TestEModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultsGiveG107sRating();
    void ratings_data();
    void ratings();
    void mosCurve_data();
    void mosCurve();
    void codecs();
    void absurdInputsStayInRange();
};

// G.107 clause 7.7: "Using the default values ... results in a very high quality with a rating
// factor of R = 93.2."
void TestEModel::defaultsGiveG107sRating()
{
    const EModel::Result result = EModel::evaluate({});
    QCOMPARE(qRound(result.r * 10), 932);
    // Ro = 15 - 1.5 (SLR + No), No = -61.18 dBm0p summed from Nc, Nos, Nor and Nfo: 94.7688.
    QVERIFY(qAbs(result.basicRatio - 94.7688) < 1e-4);
    // Is = Iolr + Ist + Iq = 1.4136; Id = Idle alone at T = 0 (Rle = 10.5 x 117 = 1228.5): 0.1490.
    QVERIFY(qAbs(result.simultaneous - 1.4136) < 1e-4);
    QVERIFY(qAbs(result.delay - 0.1490) < 1e-4);
    QCOMPARE(result.effectiveEquipment, 0.0);
    QVERIFY(qAbs(result.mos - 4.4094) < 1e-4);
}

void TestEModel::ratings_data()
{
    QTest::addColumn<double>("ta");
    QTest::addColumn<double>("t"); // -1: Ta
    QTest::addColumn<double>("tr"); // -1: 2 Ta
    QTest::addColumn<double>("ie");
    QTest::addColumn<double>("bpl");
    QTest::addColumn<double>("ppl");
    QTest::addColumn<double>("burstR");
    QTest::addColumn<double>("delay"); // Id
    QTest::addColumn<double>("ieEff");
    QTest::addColumn<double>("r");
    QTest::addColumn<double>("mos");
    // Ta = 200 ms: X = log2(200/100) = 1, Idd = 25 ((1 + 1)^(1/6) - 3 (1 + 1/729)^(1/6) + 2) = 3.0444;
    // Idte = 3.5708 (TERV = 65 - 40 log10(21/2.333) = 26.83), Idle = 0.9353 (Tr = 400): Id = 7.5505.
    QTest::newRow("200 ms") << 200.0 << -1.0 << -1.0 << 0.0 << 1.0 << 0.0 << 1.0 << 7.5505 << 0.0 << 85.8047 << 4.2232;
    // Ta = 300 ms: X = 1.585, Idd = 14.7607; Idte 4.8339, Idle 1.0943.
    QTest::newRow("300 ms") << 300.0 << -1.0 << -1.0 << 0.0 << 1.0 << 0.0 << 1.0 << 20.6889 << 0.0 << 72.6664 << 3.7194;
    QTest::newRow("400 ms") << 400.0 << -1.0 << -1.0 << 0.0 << 1.0 << 0.0 << 1.0 << 31.1084 << 0.0 << 62.2468 << 3.2156;
    // G.711 with concealment, 1 % random loss: Ie,eff = 95 x 1 / (1 + 25.1) = 3.6398.
    QTest::newRow("g711 50 ms 1 %") << 50.0 << -1.0 << -1.0 << 0.0 << 25.1 << 1.0 << 1.0 << 1.5990 << 3.6398 << 88.1163
                                    << 4.2902;
    // G.729A, 2 %: Ie,eff = 11 + 84 x 2 / (2 + 19) = 19 exactly.
    QTest::newRow("g729 150 ms 2 %") << 150.0 << -1.0 << -1.0 << 11.0 << 19.0 << 2.0 << 1.0 << 3.8160 << 19.0 << 70.5391
                                     << 3.6222;
    // Bursty loss: Ie,eff = 95 x 5 / (5/2 + 25.1) = 17.2101.
    QTest::newRow("g711 300 ms 5 % bursty")
        << 300.0 << -1.0 << -1.0 << 0.0 << 25.1 << 5.0 << 2.0 << 20.6889 << 17.2101 << 55.4562 << 2.8624;
    // Echo and loop delays given apart from Ta.
    QTest::newRow("T and Tr apart") << 120.0 << 60.0 << 240.0 << 0.0 << 25.1 << 0.5 << 1.0 << 1.9969 << 1.8555
                                    << 89.5029 << 4.3266;
}

void TestEModel::ratings()
{
    QFETCH(double, ta);
    QFETCH(double, t);
    QFETCH(double, tr);
    QFETCH(double, ie);
    QFETCH(double, bpl);
    QFETCH(double, ppl);
    QFETCH(double, burstR);
    QFETCH(double, delay);
    QFETCH(double, ieEff);
    QFETCH(double, r);
    QFETCH(double, mos);
    EModel::Inputs inputs;
    inputs.mouthToEarMs = ta;
    inputs.echoDelayMs = t;
    inputs.roundTripMs = tr;
    inputs.equipmentImpairment = ie;
    inputs.lossRobustness = bpl;
    inputs.lossPct = ppl;
    inputs.burstRatio = burstR;
    const EModel::Result result = EModel::evaluate(inputs);
    const auto near = [](double ours, double worked) {
        return qAbs(ours - worked) < 1.5e-4;
    };
    QVERIFY2(near(result.delay, delay), qPrintable(u"Id %1, worked %2"_s.arg(result.delay).arg(delay)));
    QVERIFY2(near(result.effectiveEquipment, ieEff),
        qPrintable(u"Ie,eff %1, worked %2"_s.arg(result.effectiveEquipment).arg(ieEff)));
    QVERIFY2(near(result.r, r), qPrintable(u"R %1, worked %2"_s.arg(result.r).arg(r)));
    QVERIFY2(near(result.mos, mos), qPrintable(u"MOS %1, worked %2"_s.arg(result.mos).arg(mos)));
}

void TestEModel::mosCurve_data()
{
    QTest::addColumn<double>("r");
    QTest::addColumn<double>("mos");
    // G.107 Annex B, (B-4): MOS = 1 + 0.035 R + R (R - 60)(100 - R) 7e-6, 1 below 0 and 4.5 above 100.
    QTest::newRow("below 0") << -5.0 << 1.0;
    QTest::newRow("50") << 50.0 << 2.575;
    QTest::newRow("60") << 60.0 << 3.1;
    QTest::newRow("70") << 70.0 << 3.597;
    QTest::newRow("80") << 80.0 << 4.024;
    QTest::newRow("90") << 90.0 << 4.339;
    QTest::newRow("100") << 100.0 << 4.5;
    QTest::newRow("above 100") << 120.0 << 4.5;
}

void TestEModel::mosCurve()
{
    QFETCH(double, r);
    QFETCH(double, mos);
    QVERIFY2(qAbs(EModel::mosFromRating(r) - mos) < 1e-9, qPrintable(QString::number(EModel::mosFromRating(r))));
}

void TestEModel::codecs()
{
    const EModel::Codec *g711 = EModel::findCodec(u"G711");
    QVERIFY(g711);
    QCOMPARE(g711->payloadBytes, 160); // 20 ms at 8000 samples/s, one byte each
    QCOMPARE(g711->lossRobustness, 25.1);
    QVERIFY(g711->valuesFromG113);
    const EModel::Codec *g729 = EModel::findCodec(u"g729");
    QVERIFY(g729);
    QCOMPARE(g729->payloadBytes, 20); // 8 kbit/s for 20 ms
    QCOMPARE(g729->equipmentImpairment, 11.0);
    const EModel::Codec *opus = EModel::findCodec(u"opus");
    QVERIFY(opus && !opus->valuesFromG113);
    QVERIFY(!EModel::findCodec(u"g722"));
    QCOMPARE(EModel::codecNames(), u"g711, g729, opus"_s);
    // Ta = network + packet audio + lookahead + twice the jitter.
    QCOMPARE(EModel::mouthToEarMs(40, 5, *g729), 40.0 + 20 + 5 + 10);
    QCOMPARE(EModel::mouthToEarMs(-3, -1, *g711), 20.0);
}

void TestEModel::absurdInputsStayInRange()
{
    EModel::Inputs inputs;
    inputs.mouthToEarMs = 1e9;
    inputs.lossPct = 250;
    inputs.burstRatio = 0;
    inputs.lossRobustness = 0;
    const EModel::Result result = EModel::evaluate(inputs);
    QVERIFY(std::isfinite(result.r));
    QCOMPARE(result.mos, 1.0);
    inputs.mouthToEarMs = -50;
    inputs.lossPct = -1;
    inputs.lossRobustness = 1;
    QVERIFY(qAbs(EModel::evaluate(inputs).r - 93.2062) < 1e-4);
}

QTEST_APPLESS_MAIN(TestEModel)

#include "tst_emodel.moc"
