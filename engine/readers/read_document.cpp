// Reading a file and deciding its format. Content decides (a ".txt" that holds a
// PDF is a PDF, a UTF-16 ".txt" that holds a page is HTML); the extension only
// separates Markdown from plain text and names HTML that does not announce itself.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <optional>

#include "engine/readers/markdown_syntax.hpp"
#include "engine/readers/reader_errors.hpp"
#include "engine/readers/zip_signature.hpp"
#include "gouji/readers.hpp"

namespace gouji {

namespace {

// "300 MiB", "2.5 KiB", "17 bytes": one decimal at most, rounded up so a file
// just over the limit never reads as equal to it.
std::string describe_size(std::size_t bytes) {
    static constexpr const char* kUnits[] = {"bytes", "KiB", "MiB", "GiB"};
    if (bytes < 1024) return std::to_string(bytes) + " bytes";
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024 && unit + 1 < std::size(kUnits)) {
        value /= 1024;
        ++unit;
    }
    double tenths = std::ceil(value * 10 - 1e-9);
    char buffer[32];
    if (std::fmod(tenths, 10) == 0) std::snprintf(buffer, sizeof buffer, "%.0f %s", tenths / 10, kUnits[unit]);
    else std::snprintf(buffer, sizeof buffer, "%.1f %s", tenths / 10, kUnits[unit]);
    return buffer;
}

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

// What to do about a report the OS would not open or read, by its reason.
std::string os_error_hint(int error) {
    switch (error) {
        case EACCES:
        case EPERM: return "give read access to it, or leave it out of the paths";
        case ELOOP: return "the link leads back to itself: point it at the file, or leave it out";
        case ENOTDIR: return "check the path: a part of it is a file, not a folder";
        case EMFILE:
        case ENFILE: return "close other programs' files, or raise the limit (ulimit -n), and run again";
        case EIO: return "the disk or the network share failed: copy the file elsewhere and use the copy";
        default: return "check the path";
    }
}

// The target of the link at `path` when it is a link to nothing: a folder search
// lists the link itself, so "check the path" would point at what exists.
std::optional<std::string> dangling_link_target(const std::string& path) {
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0 || !S_ISLNK(status.st_mode)) return std::nullopt;
    char target[4096];
    const ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
    if (n < 0) return std::nullopt;
    return std::string(target, static_cast<std::size_t>(n));
}

[[noreturn]] void throw_os_error(const std::string& path, const char* what, int error) {
    if (error == ENOENT)
        if (auto target = dangling_link_target(path))
            throw InputError(path, {}, std::string(what) + ": it is a link to " + printable(*target, false) +
                                           ", which does not exist",
                             "point the link at the file, or leave it out");
    throw InputError(path, {}, std::string(what) + ": " + std::strerror(error), os_error_hint(error));
}

[[noreturn]] void throw_too_large(const std::string& path, std::string size, const ReadLimits& limits,
                                  std::string_view hint) {
    throw InputError(path, {}, "file is " + size + "; gouji reads at most " + describe_size(limits.max_file_bytes),
                     std::string(hint));
}

std::string lowercase_extension(const std::string& path) {
    std::size_t slash = path.find_last_of('/');
    std::size_t dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
    std::string ext = path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    return true;
}

std::string_view skip_ascii_space(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == '\f')) ++i;
    return s.substr(i);
}

// PDF readers accept up to 1 KiB of junk before the header; we ask that the
// header at least starts a line, so a text merely quoting "%PDF-" stays text.
bool starts_like_pdf(std::string_view bytes) {
    std::string_view head = bytes.substr(0, 1024);
    for (std::size_t at = head.find("%PDF-"); at != std::string_view::npos; at = head.find("%PDF-", at + 1))
        if (at == 0 || head[at - 1] == '\n' || head[at - 1] == '\r') return true;
    return false;
}

// Markup at the very start: "<!DOCTYPE html", "<html", after any BOM, white
// space, XML declaration and comments.
bool starts_like_html(std::string_view bytes) {
    std::string_view s = bytes.starts_with("\xEF\xBB\xBF") ? bytes.substr(3) : bytes;
    for (int skipped = 0; skipped < 16; ++skipped) {
        s = skip_ascii_space(s);
        std::string_view closing;
        if (s.starts_with("<!--")) closing = "-->";
        else if (s.starts_with("<?")) closing = "?>";
        else break;
        std::size_t end = s.find(closing);
        if (end == std::string_view::npos) return false;
        s.remove_prefix(end + closing.size());
    }
    return starts_with_ignoring_case(s, "<!doctype html") || starts_with_ignoring_case(s, "<html") ||
           starts_with_ignoring_case(s, "<head") || starts_with_ignoring_case(s, "<body");
}

// Markdown signs in a text file: a pipe table (a row followed by its "|---|"
// separator) or at least two "#" headings. Checked on raw bytes: '#' and a
// line-initial '|' mean the same in UTF-8 and GB18030.
bool looks_like_markdown(std::string_view bytes) {
    // The signs show in the first pages of a report; no need to scan a huge file.
    constexpr std::size_t kScanLimit = 4u << 20;
    std::string_view text = bytes.substr(0, std::min(bytes.size(), kScanLimit));
    int headings = 0;
    bool previous_was_row = false;
    auto markdown_line = [&](std::string_view line) {
        line = skip_ascii_space(line);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        bool is_row = line.starts_with('|');
        if (is_row && previous_was_row && markdown_syntax::is_separator_row(line)) return true;
        previous_was_row = is_row && !markdown_syntax::is_separator_row(line);
        if (int level = markdown_syntax::heading_level(line); level > 0 && line.size() > static_cast<std::size_t>(level))
            if (++headings >= 2) return true;
        return false;
    };
    std::size_t start = 0;
    while (start < text.size()) {
        const void* found = std::memchr(text.data() + start, '\n', text.size() - start);
        std::size_t end = found ? static_cast<std::size_t>(static_cast<const char*>(found) - text.data()) : text.size();
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (line.ends_with('\r')) line.remove_suffix(1);
        // A lone CR ends a line too (docs/formats.md): a file saved with classic Mac
        // line ends is one "line" to the search for LF.
        for (std::size_t cr = line.find('\r'); cr != std::string_view::npos; cr = line.find('\r')) {
            if (markdown_line(line.substr(0, cr))) return true;
            line.remove_prefix(cr + 1);
        }
        if (markdown_line(line)) return true;
    }
    return false;
}

// What an OLE2 compound file (a legacy .doc, .xls, .wps, or an encrypted .docx) starts with.
constexpr std::string_view kOleSignature("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);

// The format a file's name promises, as the messages name it, and the bytes it starts with.
struct NamedFormat {
    std::string name;
    std::string_view signature;
};

std::optional<NamedFormat> format_named_by(const std::string& extension) {
    static constexpr std::string_view kZipExtensions[] = {"docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "pptx",
                                                          "pptm", "odt",  "ods",  "odp",  "ofd",  "zip"};
    static constexpr std::string_view kOleExtensions[] = {"doc", "dot", "xls", "ppt", "wps", "et", "dps"};
    auto among = [&](const auto& list) { return std::find(std::begin(list), std::end(list), extension) != std::end(list); };
    if (extension == "pdf") return NamedFormat{"a PDF", "%PDF-"};
    if (extension == "rtf") return NamedFormat{"an RTF file", "{\\rtf"};
    if (among(kZipExtensions)) return NamedFormat{"a ." + extension + " file (a ZIP archive)", zip_signature::kLocalHeader};
    if (among(kOleExtensions))
        return NamedFormat{"a ." + extension + " file (an OLE2 compound file)", kOleSignature};
    return std::nullopt;
}

// A file named .pdf, .docx, .doc… that holds none of the formats gouji reads
// would otherwise be audited as text: a download cut after a few bytes ("%PDF",
// "P"), or an error page saved under the report's name. (HTML under such a name
// is read: Word's "save as web page" keeps the .doc name.)
void refuse_misnamed(const std::string& path, std::string_view bytes) {
    std::string extension = lowercase_extension(path);
    std::optional<NamedFormat> named = format_named_by(extension);
    if (!named || bytes.empty()) return;
    if (named->signature.starts_with(bytes)) {
        std::string held = bytes.size() == 1 ? "its one byte is" : "its " + std::to_string(bytes.size()) + " bytes are";
        throw InputError(path, {}, "the file is cut off: " + held + " only the start of " + named->name,
                         "download or copy the file again");
    }
    throw InputError(path, {},
                     "named ." + extension + " but not " + named->name + ": the file is damaged or not what its name says",
                     "download the file again, or give the report in a format gouji reads");
}

}  // namespace

std::string_view to_string(Format f) {
    switch (f) {
        case Format::Text: return "text";
        case Format::Markdown: return "markdown";
        case Format::Html: return "html";
        case Format::Docx: return "docx";
        case Format::Pdf: return "pdf";
    }
    return "text";
}

std::string read_file_bytes(const std::string& path, const ReadLimits& limits, std::string_view too_large_hint) {
    if (too_large_hint.empty()) too_large_hint = reader_errors::kTooLargeHint;
    FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    // "-", the usual name of standard input, names no file here: reports are files.
    if (file.get() < 0 && errno == ENOENT && path == "-")
        throw InputError(path, {}, "a report is not read from standard input",
                         "save it to a file and give its path, e.g. gouji check report.txt");
    if (file.get() < 0) throw_os_error(path, "cannot open file", errno);
    struct stat status {};
    if (::fstat(file.get(), &status) != 0) throw_os_error(path, "cannot read file", errno);
    if (S_ISDIR(status.st_mode)) throw InputError(path, {}, "is a directory, not a report file", "check the path");
    if (S_ISREG(status.st_mode) && static_cast<std::size_t>(status.st_size) > limits.max_file_bytes)
        throw_too_large(path, describe_size(static_cast<std::size_t>(status.st_size)), limits, too_large_hint);

    std::string bytes;
    if (S_ISREG(status.st_mode)) bytes.reserve(static_cast<std::size_t>(status.st_size));
    // Pipes and devices have no size to check up front: stop one byte past the limit.
    char buffer[1u << 16];
    for (;;) {
        ssize_t got = ::read(file.get(), buffer, sizeof buffer);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw_os_error(path, "cannot read file", errno);
        }
        if (got == 0) break;
        bytes.append(buffer, static_cast<std::size_t>(got));
        if (bytes.size() > limits.max_file_bytes)
            throw_too_large(path, "larger than " + describe_size(limits.max_file_bytes), limits, too_large_hint);
    }
    return bytes;
}

namespace {

// The formats told by their first bytes (PDF, DOCX), or nothing for text; the
// containers gouji does not read are refused here.
std::optional<Format> binary_format(const std::string& path, std::string_view bytes) {
    if (starts_like_pdf(bytes)) return Format::Pdf;
    if (bytes.starts_with(zip_signature::kLocalHeader)) {
        // A cut-off archive may have lost the entry's name: the DOCX reader says it is cut off.
        if (bytes.find("word/document.xml") != std::string_view::npos || !zip_signature::has_end_record(bytes))
            return Format::Docx;
        throw InputError(path, {}, "a ZIP archive without word/document.xml, so not a Word document",
                         "give a .docx, PDF, HTML, Markdown or text report");
    }
    if (bytes.starts_with(kOleSignature))
        // Word keeps a password-protected .docx in the same OLE2 container as a .doc.
        throw InputError(path, {}, "a legacy Office file (.doc/.xls/.wps) or a password-protected document",
                         "save it as .docx or PDF, without a password, and check that");
    if (bytes.starts_with("{\\rtf")) throw InputError(path, {}, "an RTF file", "save it as .docx or PDF and check that");
    return std::nullopt;
}

// HTML, Markdown or plain text: `text` is the file's text (`bytes` decoded when
// they are UTF-16, whose markup has a NUL after every ASCII character).
Format text_format(const std::string& path, std::string_view bytes, std::string_view text) {
    if (starts_like_html(text)) return Format::Html;
    refuse_misnamed(path, bytes);

    std::string ext = lowercase_extension(path);
    if (ext == "md" || ext == "markdown") return Format::Markdown;
    if (ext == "html" || ext == "htm" || ext == "xhtml" || ext == "shtml") return Format::Html;
    return looks_like_markdown(text) ? Format::Markdown : Format::Text;
}

Document read_text_format(Format format, const std::string& path, std::string_view text, const ReadLimits& limits) {
    switch (format) {
        case Format::Markdown: return read_markdown(path, text, limits);
        case Format::Html: return read_html(path, text, limits);
        default: return read_plain_text(path, text, limits);
    }
}

}  // namespace

Format detect_format(const std::string& path, std::string_view bytes) {
    if (std::optional<Format> binary = binary_format(path, bytes)) return *binary;
    if (!looks_like_utf16(bytes)) return text_format(path, bytes, bytes);
    std::string encoding;
    return text_format(path, bytes, decode_text(path, bytes, encoding));
}

Document read_document(const std::string& path, const ReadLimits& limits) {
    std::string bytes = read_file_bytes(path, limits);
    if (std::optional<Format> binary = binary_format(path, bytes))
        return *binary == Format::Pdf ? read_pdf(path, bytes, limits) : read_docx(path, bytes, limits);
    if (!looks_like_utf16(bytes)) return read_text_format(text_format(path, bytes, bytes), path, bytes, limits);
    // Decoded once: its format is told from the text, and its reader given the
    // text, whose encoding is UTF-8 now but was UTF-16 in the file.
    std::string encoding;
    std::string text = decode_text(path, bytes, encoding);
    const Format format = text_format(path, bytes, text);
    std::string().swap(bytes);  // a file of up to max_file_bytes: not held beside its text and blocks
    // The file is within the limit; its text, in UTF-8, may be half as large
    // again (a hanzi takes 3 bytes, not 2), and must not be refused as too big.
    ReadLimits text_limits = limits;
    text_limits.max_file_bytes = std::max(limits.max_file_bytes, text.size());
    Document document = read_text_format(format, path, text, text_limits);
    document.encoding = std::move(encoding);
    return document;
}

}  // namespace gouji
