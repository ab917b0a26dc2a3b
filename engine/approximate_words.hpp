// Words before a number that say it is not exact ("约80", "超过1000"): one list for
// the prose's figures (engine/model/narrative_scan.cpp) and the tables' cells
// (engine/value.cpp). Two-character words first, so that 超过 is matched before 超.
#pragma once

#include <string_view>

namespace gouji {

inline constexpr std::u32string_view kApproximateBefore[] = {U"超过", U"将近", U"大约", U"接近", U"突破",
                                                             U"约",   U"近",   U"超",   U"逾"};

}  // namespace gouji
