// Placeholder until the html writer lands: says so instead of writing.
#include "gouji/outputs.hpp"

namespace gouji {

std::unique_ptr<ResultsWriter> html_writer(std::ostream&, const RunInfo&) {
    throw InputError("--format", SourcePos{}, "the html format is not built yet", "use --format text or json");
}

}  // namespace gouji
