// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "details.h"

#include <array>
#include <utility>

#include <QCborValue>

#include "shared/protocol/detailcodec.h"

namespace StreamSwarm::Protocol {

namespace {

// The typed records: the alternatives between std::monostate (None) and OtherDetail.
constexpr size_t TYPED_KINDS = std::variant_size_v<RoundDetail::Value> - 2;

template <size_t... I>
constexpr std::array<const char16_t *, sizeof...(I)> typedKindNames(std::index_sequence<I...>)
{
    return {std::variant_alternative_t<I + 1, RoundDetail::Value>::KIND...};
}

} // namespace

QString detailKindName(DetailKind kind)
{
    static constexpr auto names = typedKindNames(std::make_index_sequence<TYPED_KINDS>());
    const auto index = size_t(kind);
    return index >= 1 && index <= TYPED_KINDS ? QString::fromUtf16(names[index - 1]) : QString();
}

bool RoundDetail::operator==(const RoundDetail &other) const
{
    // Compared as CBOR bytes: QCborMap's own comparison calls a NaN nested in an array (kept whole in an
    // OtherDetail) different from itself.
    return kind() == other.kind()
        && QCborValue(encodeDetail(*this)).toCbor() == QCborValue(encodeDetail(other)).toCbor();
}

} // namespace StreamSwarm::Protocol
