#include "rules/yaml_tree.hpp"

#include "rules/yaml_slips.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <optional>
#include <string>
#include <cstdio>
#include <utility>

#include "gouji/text.hpp"

namespace gouji::rules {

namespace {

// libyaml's scanner rechecks every open flow level for each token, so a file of
// 100,000 '[' took it 40 s to reject. Packs nest a few levels: a byte scan finds
// the place where flow collections nest deeper than any pack needs, before
// libyaml sees it. At the top, a '[' or '{' opens one only where a value starts
// (after ':', '-', '?', ',' or at a line's start), not inside an expression
// such as 表三.本年新收[c]; inside one, every bracket nests. Quoted text and
// comments are skipped.
constexpr std::size_t max_flow_depth = 500;

// The bytes nested_too_deep() acts on; any other only becomes the byte before
// the next one. Packs are mostly other bytes, a third of them comments: they
// are passed over in runs (the scan was a tenth of reading a pack's YAML).
constexpr std::array<bool, 256> nesting_bytes = [] {
    std::array<bool, 256> table{};
    for (char c : std::string_view("'\"#[]{}")) table[static_cast<unsigned char>(c)] = true;
    return table;
}();

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Where the run of bytes from `from` that nested_too_deep() passes over ends;
// `before` becomes its last byte that is not blank, if any.
std::size_t pass_over(std::string_view text, std::size_t from, char& before) {
    std::size_t end = from;
    while (end < text.size() && !nesting_bytes[static_cast<unsigned char>(text[end])]) ++end;
    for (std::size_t k = end; k > from; --k)
        if (!blank(text[k - 1])) {
            before = text[k - 1];
            break;
        }
    return end;
}

std::optional<std::uint32_t> nested_too_deep(std::string_view text) {
    std::size_t depth = 0;
    char before = '\n';  // the last byte that is not a space or a tab
    for (std::size_t i = pass_over(text, 0, before); i < text.size(); i = pass_over(text, i + 1, before)) {
        const char c = text[i];
        // A quote opens a quoted scalar only where a value starts; inside a plain
        // one ("agency's pack", 6" screen) it is a character like any other.
        const bool value_starts = before == '\n' || before == ':' || before == '-' || before == '?' ||
                                  before == ',' || before == '[' || before == '{';
        if ((c == '\'' || c == '"') && value_starts) {
            for (++i; i < text.size() && text[i] != c; ++i)
                if (c == '"' && text[i] == '\\') ++i;
            before = c;
            continue;
        }
        if (c == '#' && (before == '\n' || i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
            i = std::min(text.find('\n', i), text.size());
            before = '\n';
            continue;
        }
        if (c == '[' || c == '{') {
            if (depth > 0 || value_starts)
                if (++depth > max_flow_depth) return static_cast<std::uint32_t>(i);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
        before = c;
    }
    return std::nullopt;
}

}  // namespace

// Turns libyaml's events into the node arrays of a YamlDocument. libyaml counts
// marks in characters, so they are translated to bytes of the file here.
class YamlTreeBuilder {
public:
    YamlTreeBuilder(YamlDocument& doc, std::string_view text) : doc_(doc), text_(text) { index_characters(); }

    void build() {
        if (auto at = nested_too_deep(text_)) {
            fail_at(*at, "'[' and '{' nest more than " + std::to_string(max_flow_depth) +
                             " levels deep here: a pack needs a few (look for brackets left open)");
            doc_.nodes_.push_back(YamlDocument::NodeData{});
            return;
        }
        yaml_parser_t parser;
        if (!yaml_parser_initialize(&parser)) {
            doc_.error_ = YamlSyntaxError{"out of memory", 0, std::nullopt, {}};
            return;
        }
        yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text_.data()), text_.size());
        yaml_event_t event;
        bool done = false;
        bool document_ended = false;
        while (!done) {
            if (!yaml_parser_parse(&parser, &event)) {
                fail_with(parser);
                break;
            }
            document_ended = event.type == YAML_DOCUMENT_END_EVENT;
            done = !handle(event);
            yaml_event_delete(&event);
        }
        // A second document after "---" would be ignored without a word.
        if (document_ended && !doc_.error_) {
            if (!yaml_parser_parse(&parser, &event)) {
                fail_with(parser);
            } else {
                if (event.type == YAML_DOCUMENT_START_EVENT)
                    fail_at(byte_of(event.start_mark),
                            "a second YAML document: a rule pack or template file is one document; move this one to a "
                            "file of its own");
                yaml_event_delete(&event);
            }
        }
        yaml_parser_delete(&parser);
        if (doc_.error_) {
            doc_.nodes_.clear();
            doc_.children_.clear();
            doc_.duplicate_keys_.clear();
            doc_.aliases_.clear();
        }
        std::sort(doc_.duplicate_keys_.begin(), doc_.duplicate_keys_.end(),
                  [](const YamlDuplicateKey& a, const YamlDuplicateKey& b) { return a.byte < b.byte; });
        if (doc_.nodes_.empty()) doc_.nodes_.push_back(YamlDocument::NodeData{});
    }

private:
    struct Open {
        std::uint32_t node;
        std::size_t first_pending;
    };

    // Byte offset of every character, when the text is not plain ASCII.
    // libyaml counts a mark in characters; positions are bytes. Marks come in
    // file order, so a cursor walks from the last one to the next (a table of
    // every character's byte was a tenth of reading a pack), eight bytes at a
    // time while that cannot pass the mark.
    void index_characters() {
        bom_ = text_.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // libyaml does not count a BOM
        cursor_byte_ = bom_;
        ascii_ = bom_ == 0 &&
                 std::all_of(text_.begin(), text_.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    }

    std::uint32_t byte_of(const yaml_mark_t& mark) {
        const std::size_t size = text_.size();
        if (ascii_) return static_cast<std::uint32_t>(std::min(mark.index, size));
        if (mark.index < leads_) {  // behind the cursor: only an error's mark
            cursor_byte_ = bom_;
            leads_ = 0;
        }
        auto continuation = [&](std::size_t i) { return (static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80; };
        for (; cursor_byte_ + 8 <= size && leads_ + 8 <= mark.index; cursor_byte_ += 8)
            leads_ += char_count(text_.substr(cursor_byte_, 8));
        for (; cursor_byte_ < size && (leads_ < mark.index || continuation(cursor_byte_)); ++cursor_byte_)
            if (!continuation(cursor_byte_)) ++leads_;
        return static_cast<std::uint32_t>(cursor_byte_);
    }

    void fail_with(const yaml_parser_t& parser) {
        YamlSyntaxError e;
        if (parser.error == YAML_READER_ERROR) {
            char value[32];
            std::snprintf(value, sizeof value, " (0x%X)", static_cast<unsigned>(parser.problem_value));
            e.message = std::string(parser.problem ? parser.problem : "unreadable text") + (parser.problem_value >= 0 ? value : "") +
                        ": save the file as UTF-8";
            e.byte = static_cast<std::uint32_t>(std::min(parser.problem_offset, text_.size()));
        } else {
            e.message = parser.problem ? parser.problem : "unreadable YAML";
            e.byte = byte_of(parser.problem_mark);
            if (e.byte < text_.size() && text_[e.byte] == '\t') e.message += " (a tab: YAML indents with spaces only)";
            if (parser.context) {
                e.message += std::string(" ") + parser.context;
                e.context_byte = byte_of(parser.context_mark);
            }
            e = explain_yaml_slip(text_, std::move(e));
        }
        doc_.error_ = std::move(e);
    }

    void fail_at(std::uint32_t byte, std::string message) {
        if (!doc_.error_) doc_.error_ = YamlSyntaxError{std::move(message), byte, std::nullopt, {}};
    }

    // One event into the tree; false once the first document is complete or on error.
    bool handle(const yaml_event_t& event) {
        switch (event.type) {
            case YAML_SCALAR_EVENT:
                add_scalar(event);
                return true;
            case YAML_SEQUENCE_START_EVENT:
                refuse_tag(event, event.data.sequence_start.tag);
                open(event, YamlKind::Sequence, event.data.sequence_start.anchor,
                     event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE);
                return true;
            case YAML_MAPPING_START_EVENT:
                refuse_tag(event, event.data.mapping_start.tag);
                open(event, YamlKind::Mapping, event.data.mapping_start.anchor,
                     event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
                return true;
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT:
                close();
                return true;
            case YAML_ALIAS_EVENT:
                return add_alias(event);
            case YAML_DOCUMENT_END_EVENT:
            case YAML_STREAM_END_EVENT:
                return false;
            default:
                return true;
        }
    }

    std::uint32_t add_node(const yaml_event_t& event, YamlKind kind, YamlStyle style, const yaml_char_t* anchor) {
        auto index = static_cast<std::uint32_t>(doc_.nodes_.size());
        YamlDocument::NodeData n;
        n.kind = kind;
        n.style = style;
        n.start = byte_of(event.start_mark);
        doc_.nodes_.push_back(n);
        if (!open_.empty()) pending_.push_back(index);
        if (anchor) anchors_.emplace_back(reinterpret_cast<const char*>(anchor), index);
        return index;
    }

    static bool is_null_word(std::string_view v) { return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL"; }

    // A tag ("!", "!!str") is YAML's and never a pack's: YAML takes it off the
    // value, so `check: ! 表三.found` would read `表三.found`, the negation gone.
    void refuse_tag(const yaml_event_t& event, const yaml_char_t* tag) {
        if (!tag) return;
        const std::string t(reinterpret_cast<const char*>(tag));
        fail_at(byte_of(event.start_mark),
                "'" + (t.rfind("tag:yaml.org,2002:", 0) == 0 ? "!!" + t.substr(18) : t) +
                    "' before the value is a YAML tag, which YAML takes off the value: a rule pack has none. "
                    "For a negation write 'not' (`check: not 表三.found`); to keep a '!' put the whole value in quotes");
    }

    void add_scalar(const yaml_event_t& event) {
        const auto& s = event.data.scalar;
        refuse_tag(event, s.tag);
        std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
        YamlStyle style = YamlStyle::Plain;
        switch (s.style) {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = YamlStyle::SingleQuoted; break;
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = YamlStyle::DoubleQuoted; break;
            case YAML_LITERAL_SCALAR_STYLE: style = YamlStyle::Literal; break;
            case YAML_FOLDED_SCALAR_STYLE: style = YamlStyle::Folded; break;
            default: break;
        }
        // As YAML's core schema: an untagged plain null, ~ or nothing is no value.
        bool null = style == YamlStyle::Plain && !s.tag && is_null_word(value);
        std::uint32_t index = add_node(event, null ? YamlKind::Null : YamlKind::Scalar, style, s.anchor);
        auto& n = doc_.nodes_[index];
        n.first = static_cast<std::uint32_t>(doc_.values_.size());
        n.count = static_cast<std::uint32_t>(value.size());
        doc_.values_.append(value);
    }

    void open(const yaml_event_t& event, YamlKind kind, const yaml_char_t* anchor, bool flow) {
        std::uint32_t index = add_node(event, kind, flow ? YamlStyle::Flow : YamlStyle::Block, anchor);
        open_.push_back(Open{index, pending_.size()});
    }

    void close() {
        if (open_.empty()) return;
        Open o = open_.back();
        open_.pop_back();
        if (doc_.nodes_[o.node].kind == YamlKind::Mapping) note_duplicate_keys(o.first_pending);
        auto& n = doc_.nodes_[o.node];
        n.first = static_cast<std::uint32_t>(doc_.children_.size());
        n.count = static_cast<std::uint32_t>(pending_.size() - o.first_pending);
        doc_.children_.insert(doc_.children_.end(), pending_.begin() + static_cast<long>(o.first_pending), pending_.end());
        pending_.resize(o.first_pending);
    }

    // The keys of the mapping whose entries are pending_[first...]: a key given
    // twice would silently keep one of its values (two `check:` in one rule).
    // Each later one is kept to be said; the document is well formed, and the
    // rest of it can still be checked.
    void note_duplicate_keys(std::size_t first) {
        std::vector<std::pair<std::string_view, std::uint32_t>> keys;  // text, node
        for (std::size_t i = first; i < pending_.size(); i += 2) {
            const auto& k = doc_.nodes_[pending_[i]];
            if (k.kind != YamlKind::Scalar) continue;
            std::string_view text(doc_.values_.data() + k.first, k.count);
            if (text != "<<") keys.emplace_back(text, pending_[i]);  // merge keys may repeat
        }
        if (keys.size() < 2) return;
        std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t i = 1; i < keys.size(); ++i)
            if (keys[i].first == keys[i - 1].first) {
                std::size_t earliest = i - 1;
                while (earliest > 0 && keys[earliest - 1].first == keys[i].first) --earliest;
                doc_.duplicate_keys_.push_back(YamlDuplicateKey{std::string(keys[i].first), doc_.nodes_[keys[i].second].start,
                                                                doc_.nodes_[keys[earliest].second].start});
            }
    }

    bool add_alias(const yaml_event_t& event) {
        std::string_view name(reinterpret_cast<const char*>(event.data.alias.anchor));
        for (auto it = anchors_.rbegin(); it != anchors_.rend(); ++it)
            if (it->first == name) {
                if (open_.empty()) return false;  // a document that is only an alias: nothing to read
                doc_.aliases_.push_back(YamlDocument::AliasUse{
                    open_.back().node, static_cast<std::uint32_t>(pending_.size() - open_.back().first_pending),
                    byte_of(event.start_mark), std::string(name)});
                pending_.push_back(it->second);
                return true;
            }
        // A value meant as text that starts with '*' (*注) is read as an alias too.
        const bool first_error = !doc_.error_;
        fail_at(byte_of(event.start_mark), "unknown alias '*" + std::string(name) + "': define the anchor '&" + std::string(name) +
                                               "' before using it, or, if '*" + std::string(name) +
                                               "' is text, put the whole value in quotes");
        if (first_error) doc_.error_->unknown_alias = name;
        return false;
    }

    YamlDocument& doc_;
    std::string_view text_;
    bool ascii_ = true;
    std::size_t bom_ = 0;
    // byte_of(): a byte of the text, and how many characters start before it.
    std::size_t cursor_byte_ = 0, leads_ = 0;
    std::vector<Open> open_;
    std::vector<std::uint32_t> pending_;  // children of the open containers, innermost last
    std::vector<std::pair<std::string, std::uint32_t>> anchors_;
};

std::string YamlSyntaxError::describe(const SourceText& source) const {
    if (!context_byte) return message;
    SourcePos at = source.position_of(*context_byte);
    return message + " started at line " + std::to_string(at.line) + ", column " + std::to_string(at.column);
}

YamlDocument::YamlDocument(std::string_view text) { YamlTreeBuilder(*this, text).build(); }

std::string YamlDocument::describe(const YamlDuplicateKey& d, const SourceText& source) {
    const SourcePos first = source.position_of(d.first_byte), later = source.position_of(d.byte);
    const std::string where = first.line == later.line ? "column " + std::to_string(first.column) + " of this line"
                                                       : "line " + std::to_string(first.line);
    return "duplicate key '" + shortened(d.key, 80) + "' in this mapping: remove one of the two (the one at " + where +
           " is the one read)";
}

YamlKind YamlNode::kind() const { return doc_ ? doc_->nodes_[index_].kind : YamlKind::Null; }

YamlStyle YamlNode::style() const { return doc_ ? doc_->nodes_[index_].style : YamlStyle::Plain; }

std::uint32_t YamlNode::start() const { return doc_ ? doc_->nodes_[index_].start : 0; }

std::string_view YamlNode::scalar() const {
    if (!doc_) return {};
    const auto& n = doc_->nodes_[index_];
    if (n.kind != YamlKind::Scalar && n.kind != YamlKind::Null) return {};
    return std::string_view(doc_->values_).substr(n.first, n.count);
}

std::size_t YamlNode::size() const {
    if (!doc_) return 0;
    const auto& n = doc_->nodes_[index_];
    return n.kind == YamlKind::Sequence || n.kind == YamlKind::Mapping ? n.count : 0;
}

YamlNode YamlNode::item(std::size_t i) const {
    if (i >= size()) return {};
    return YamlNode(doc_, doc_->children_[doc_->nodes_[index_].first + i]);
}

YamlNode YamlNode::operator[](std::string_view key) const {
    if (!is_mapping()) return {};
    for (std::size_t i = 0; i + 1 < size(); i += 2) {
        YamlNode k = item(i);
        if (k.is_scalar() && k.scalar() == key) return item(i + 1);
    }
    return {};
}

std::optional<std::pair<std::uint32_t, std::string_view>> YamlNode::alias_of_item(std::size_t i) const {
    if (i >= size()) return std::nullopt;
    for (const auto& a : doc_->aliases_)
        if (a.container == index_ && a.item == i) return std::make_pair(a.byte, std::string_view(a.name));
    return std::nullopt;
}

std::vector<YamlEntry> YamlNode::entries() const {
    std::vector<YamlEntry> out;
    if (!is_mapping()) return out;
    out.reserve(size() / 2);
    for (std::size_t i = 0; i + 1 < size(); i += 2) out.push_back(YamlEntry{item(i), item(i + 1)});
    return out;
}

std::vector<YamlNode> YamlNode::items() const {
    std::vector<YamlNode> out;
    if (!is_sequence()) return out;
    out.reserve(size());
    for (std::size_t i = 0; i < size(); ++i) out.push_back(item(i));
    return out;
}

std::optional<std::string> read_yaml_file(const std::string& path, bool* too_large, int* error) {
    // open() and read(), not a stream: what went wrong is the OS's errno, which
    // the error line names ("No such file or directory", "Permission denied").
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    auto fail = [&](int why) -> std::optional<std::string> {
        if (error) *error = why;
        if (fd >= 0) ::close(fd);
        return std::nullopt;
    };
    if (fd < 0) return fail(errno);
    // Plain reads into one string: a pack is read on every compile. (No size
    // from fstat: a pipe or /dev/zero has none.)
    std::string text;
    char chunk[16384];
    for (;;) {
        const ssize_t got = ::read(fd, chunk, sizeof chunk);
        if (got < 0) {
            if (errno == EINTR) continue;
            return fail(errno);
        }
        if (got == 0) break;
        text.append(chunk, static_cast<std::size_t>(got));
        if (text.size() > max_yaml_file_bytes) {
            if (too_large) *too_large = true;
            return fail(EFBIG);
        }
    }
    ::close(fd);
    return text;
}

std::string yaml_file_hint(int error) {
    if (error == EACCES || error == EPERM) return "give read access to it";
    if (error == EISDIR) return "give the .yaml file itself";
    return "check the path";
}

}  // namespace gouji::rules
