// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "emodel.h"

#include <algorithm>
#include <cmath>

#include <QString>
#include <QStringList>

namespace StreamSwarm::EModel {

namespace {

// G.107 Table 3: the default values of the parameters a network measurement does not give.
constexpr double SLR = 8; // send loudness rating, dB
constexpr double RLR = 2; // receive loudness rating, dB
constexpr double STMR = 15; // sidetone masking rating, dB
constexpr double LSTR = 18; // listener sidetone rating, dB
constexpr double DS = 3; // D-value of the telephone, send side
constexpr double TELR = 65; // talker echo loudness rating, dB
constexpr double WEPL = 110; // weighted echo path loss, dB
constexpr double QDU = 1; // quantising distortion units
constexpr double NC = -70; // circuit noise, dBm0p
constexpr double NFOR = -64; // noise floor at the receive side, dBmp
constexpr double PS = 35; // room noise at the send side, dB(A)
constexpr double PR = 35; // room noise at the receive side, dB(A)

constexpr Codec CODECS[] = {
    // G.711 20 ms: 160 bytes of audio; G.113 Table I.3, packet loss concealment of G.711 Appendix I.
    {u"g711", 20, 160, 0.0, 0.0, 25.1, true},
    // G.729A + VAD, two 10 ms frames per packet; G.113 Tables I.1 and I.3.
    {u"g729", 20, 20, 5.0, 11.0, 19.0, true},
    // Opus at 32 kbit/s, 20 ms frames, 6.5 ms lookahead (RFC 6716); no G.113 values exist.
    {u"opus", 20, 80, 6.5, 0.0, 25.1, false},
};

double decibelSum(std::initializer_list<double> levels)
{
    double sum = 0;
    for (const double level : levels)
        sum += std::pow(10.0, level / 10.0);
    return 10.0 * std::log10(sum);
}

} // namespace

Result evaluate(const Inputs &inputs)
{
    const double ta = std::max(0.0, inputs.mouthToEarMs);
    const double t = inputs.echoDelayMs < 0 ? ta : inputs.echoDelayMs;
    const double tr = inputs.roundTripMs < 0 ? 2 * ta : inputs.roundTripMs;

    // Ro: the signal-to-noise ratio, from every noise source summed.
    const double olr = SLR + RLR;
    const double nos = PS - SLR - DS - 100 + 0.004 * std::pow(PS - olr - DS - 14, 2);
    const double pre = PR + 10 * std::log10(1 + std::pow(10.0, (10 - LSTR) / 10));
    const double nor = RLR - 121 + pre + 0.008 * std::pow(pre - 35, 2);
    const double nfo = NFOR + RLR;
    const double no = decibelSum({NC, nos, nor, nfo});
    const double ro = 15 - 1.5 * (SLR + no);

    // Is: too loud or too quiet, sidetone, quantising distortion.
    const double xolr = olr + 0.2 * (64 + no - RLR);
    const double iolr = 20 * (std::pow(1 + std::pow(xolr / 8, 8), 1.0 / 8) - xolr / 8);
    const double stmro = -10 * std::log10(std::pow(10.0, -STMR / 10) + std::exp(-t / 4) * std::pow(10.0, -TELR / 10));
    const double ist = 12 * std::pow(1 + std::pow((stmro - 13) / 6, 8), 1.0 / 8)
        - 28 * std::pow(1 + std::pow((stmro + 1) / 19.4, 35), 1.0 / 35)
        - 13 * std::pow(1 + std::pow((stmro - 3) / 33, 13), 1.0 / 13) + 29;
    const double q = 37 - 15 * std::log10(QDU);
    const double g = 1.07 + 0.258 * q + 0.0602 * q * q;
    const double z = 46.0 / 30 - g / 40;
    const double y = (ro - 100) / 15 + 46 / 8.4 - g / 9;
    const double iq = 15 * std::log10(1 + std::pow(10.0, y) + std::pow(10.0, z));
    const double is = iolr + ist + iq;

    // Id: talker echo, listener echo, and the delay itself (nothing below 100 ms).
    double terv = TELR - 40 * std::log10((1 + t / 10) / (1 + t / 150)) + 6 * std::exp(-0.3 * t * t);
    if (STMR < 9)
        terv += ist / 2;
    const double roe = -1.5 * (no - RLR);
    const double re = 80 + 2.5 * (terv - 14);
    const double idte = ((roe - re) / 2 + std::sqrt(std::pow(roe - re, 2) / 4 + 100) - 1) * (1 - std::exp(-t));
    const double rle = 10.5 * (WEPL + 7) * std::pow(tr + 1, -0.25);
    const double idle = (ro - rle) / 2 + std::sqrt(std::pow(ro - rle, 2) / 4 + 169);
    double idd = 0;
    if (ta > 100) {
        const double x = std::log10(ta / 100) / std::log10(2.0);
        idd = 25 * (std::pow(1 + std::pow(x, 6), 1.0 / 6) - 3 * std::pow(1 + std::pow(x / 3, 6), 1.0 / 6) + 2);
    }

    // Ie,eff: the codec, and the packets it never got.
    const double ppl = std::clamp(inputs.lossPct, 0.0, 100.0);
    const double burstR = std::max(1.0, inputs.burstRatio);
    const double ie = inputs.equipmentImpairment;
    const double bpl = std::max(inputs.lossRobustness, 0.001);
    const double ieEff = ie + (95 - ie) * ppl / (ppl / burstR + bpl);

    Result result;
    result.basicRatio = ro;
    result.simultaneous = is;
    result.delay = idte + idle + idd;
    result.effectiveEquipment = ieEff;
    result.r = ro - is - result.delay - ieEff;
    result.mos = mosFromRating(result.r);
    return result;
}

double mosFromRating(double r)
{
    if (!(r > 0))
        return 1.0;
    if (r >= 100)
        return 4.5;
    return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

const Codec *findCodec(QStringView name)
{
    for (const Codec &codec : CODECS) {
        if (name.compare(QStringView(codec.name), Qt::CaseInsensitive) == 0)
            return &codec;
    }
    return nullptr;
}

QString codecNames()
{
    QStringList names;
    for (const Codec &codec : CODECS)
        names.append(QString::fromUtf16(codec.name));
    return names.join(u", ");
}

double mouthToEarMs(double networkOneWayMs, double jitterMs, const Codec &codec)
{
    return std::max(0.0, networkOneWayMs) + codec.frameMs + codec.lookaheadMs + 2 * std::max(0.0, jitterMs);
}

} // namespace StreamSwarm::EModel
