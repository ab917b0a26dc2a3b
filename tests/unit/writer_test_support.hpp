// A batch written through a ResultsWriter as gouji check writes one: each
// report's entry, then the close with the batch's tally.
#pragma once

#include <doctest/doctest.h>

#include <vector>

#include "gouji/outputs.hpp"

namespace gouji::test {

inline void write_batch(ResultsWriter& writer, const std::vector<ReportFindings>& reports) {
    BatchTally tally;
    for (const auto& r : reports) {
        writer.write(writer.entry(r));
        tally.add(r);
    }
    writer.close(tally);
    REQUIRE(writer.good());
}

}  // namespace gouji::test
