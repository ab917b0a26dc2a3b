// Placeholder until the sarif writer lands: says so instead of writing.
#include "gouji/outputs.hpp"

namespace gouji {

std::unique_ptr<ResultsWriter> sarif_writer(std::ostream&, const RunInfo&) {
    throw InputError("--format", SourcePos{}, "the sarif format is not built yet", "use --format text or json");
}

}  // namespace gouji
