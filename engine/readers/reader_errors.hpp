// What to do, for the refusals several readers give alike: an InputError's
// message says what happened, its hint what to do about it (docs/findings.md).
#pragma once

namespace gouji::reader_errors {

inline constexpr const char* kEmptyHint = "it holds no report: download or copy the report again, or leave it out";
inline constexpr const char* kTooLargeHint =
    "check that it is the report itself: a report's text is a few MiB; save it again without its images";
inline constexpr const char* kResaveAsUtf8 = "re-save the file as UTF-8";

}  // namespace gouji::reader_errors
