// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "shared/protocol/messages.h"
#include "shared/testtypes/testtype.h"

namespace StreamSwarm::Validation {

// hardware parameters after defaults, for the probe and for checks.
struct HardwareParams
{
    bool smart = true; // ask smartctl about the drives' health
    qint64 smartTimeoutMs = 10000; // smartctl's whole budget in a round, every drive included
};

bool parseHardwareParams(const Protocol::TestSpec &spec, HardwareParams *params, QString *error);

} // namespace StreamSwarm::Validation

namespace StreamSwarm::TestTypes {

const TestType &hardwareType();

} // namespace StreamSwarm::TestTypes

// The sensors' metrics (hw.) are measured per sensor, fan, power domain, battery or memory controller;
// the drives' (smart.) per drive. Each sample names its instance: "hw.temp_c{sensor=coretemp Core 0}".
namespace StreamSwarm::Metric {
inline constexpr char16_t HwTemperature[] = u"hw.temp_c";
inline constexpr char16_t HwFan[] = u"hw.fan_rpm";
inline constexpr char16_t HwPower[] = u"hw.power_w";
inline constexpr char16_t HwBattery[] = u"hw.battery_pct";
inline constexpr char16_t HwBatteryPower[] = u"hw.battery_power_w";
inline constexpr char16_t HwAcOnline[] = u"hw.ac_online";
inline constexpr char16_t HwEccCorrected[] = u"hw.ecc_corrected";
inline constexpr char16_t HwEccUncorrected[] = u"hw.ecc_uncorrected";
inline constexpr char16_t HwEccCorrectedTotal[] = u"hw.ecc_corrected_total";
inline constexpr char16_t HwEccUncorrectedTotal[] = u"hw.ecc_uncorrected_total";
inline constexpr char16_t SmartHealthy[] = u"smart.healthy";
inline constexpr char16_t SmartTemperature[] = u"smart.temp_c";
inline constexpr char16_t SmartReallocated[] = u"smart.reallocated_sectors";
inline constexpr char16_t SmartPending[] = u"smart.pending_sectors";
inline constexpr char16_t SmartPowerOnHours[] = u"smart.power_on_hours";
inline constexpr char16_t SmartNvmeUsed[] = u"smart.nvme_used_pct";
inline constexpr char16_t SmartMediaErrors[] = u"smart.media_errors";
} // namespace StreamSwarm::Metric

// The labels that name the instances.
namespace StreamSwarm::MetricLabel {
inline constexpr char16_t Sensor[] = u"sensor";
inline constexpr char16_t Fan[] = u"fan";
inline constexpr char16_t Domain[] = u"domain";
inline constexpr char16_t Battery[] = u"battery";
inline constexpr char16_t MemoryController[] = u"mc";
inline constexpr char16_t Drive[] = u"drive";
} // namespace StreamSwarm::MetricLabel
