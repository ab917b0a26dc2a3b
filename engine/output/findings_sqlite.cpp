// Placeholder until the sqlite writer lands: says so instead of writing.
#include "gouji/outputs.hpp"

namespace gouji {

std::unique_ptr<ResultsWriter> sqlite_writer(const std::string&, const RunInfo&) {
    throw InputError("--format", SourcePos{}, "the sqlite format is not built yet", "use --format text or json");
}

}  // namespace gouji
