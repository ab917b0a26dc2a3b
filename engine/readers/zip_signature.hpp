// What the bytes of a ZIP archive (a .docx) start and end with, shared by format
// detection and the DOCX reader so both tell a cut-off archive from one that is
// whole but holds no Word document.
#pragma once

#include <cstddef>
#include <string_view>

namespace gouji::zip_signature {

// The local header of the first entry: where every archive a writer made starts.
inline constexpr std::string_view kLocalHeader("PK\x03\x04", 4);

// Whether the end-of-central-directory record (22 bytes, then a comment of at
// most 64 KiB) is there. Writers put it last, so a download cut short lacks it.
inline bool has_end_record(std::string_view bytes) {
    constexpr std::size_t kRecordBytes = 22;
    constexpr std::size_t kMaxComment = 0xFFFF;
    if (bytes.size() < kRecordBytes) return false;
    std::size_t at = bytes.rfind(std::string_view("PK\x05\x06", 4), bytes.size() - kRecordBytes);
    return at != std::string_view::npos && bytes.size() - at <= kRecordBytes + kMaxComment;
}

}  // namespace gouji::zip_signature
