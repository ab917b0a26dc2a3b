#include "engine/eval/sections.hpp"

#include <functional>

#include "engine/model/block_position.hpp"
#include "gouji/text.hpp"
#include "rules/names.hpp"

namespace gouji::eval {

namespace {

template <typename Pred>
const Section* search(const std::vector<Section>& sections, Pred pred, std::size_t& top, bool is_top = true) {
    for (std::size_t i = 0; i < sections.size(); ++i) {
        if (pred(sections[i])) {
            if (is_top) top = i;
            return &sections[i];
        }
        std::size_t ignored = 0;
        if (const Section* s = search(sections[i].children, pred, ignored, false)) {
            if (is_top) top = i;
            return s;
        }
    }
    return nullptr;
}

SectionRef locate(Context& ctx, const std::string& name) {
    const auto& model = ctx.model;
    const std::string& key = ctx.normalized(name);
    std::string canonical;
    if (model.template_schema)
        if (auto i = names::find(model.template_schema->sections, key)) canonical = model.template_schema->sections[*i].id;
    std::size_t top = 0;
    const Section* found = nullptr;
    if (!canonical.empty())
        found = search(model.sections, [&](const Section& s) { return s.canonical == canonical; }, top);
    if (!found && !key.empty())
        found = search(model.sections, [&](const Section& s) { return !s.canonical.empty() && ctx.normalized(s.canonical) == key; }, top);
    if (!found && !key.empty())
        found = search(model.sections, [&](const Section& s) { return ctx.normalized(s.title) == key; }, top);
    if (!found && !key.empty())
        found = search(model.sections, [&](const Section& s) { return ctx.normalized(s.title).find(key) != std::string::npos; }, top);
    return SectionRef{found, top};
}

}  // namespace

SectionRef find_section(Context& ctx, const std::string& name) {
    // The search normalizes every title: once per name and report is enough.
    auto it = ctx.sections_by_name.find(name);
    if (it == ctx.sections_by_name.end()) it = ctx.sections_by_name.emplace(name, locate(ctx, name)).first;
    const SectionRef found = it->second;
    if (!ctx.recording) {
        ++ctx.recordable_reads;
    } else {
        CellRef ref;
        ref.path = "section " + name;
        ref.numeric = false;
        if (found.section) {
            ref.text = found.section->title;
            ref.pos = found.section->pos;
        } else {
            ref.value = gouji::Value::missing_because(MissingReason::Absent);
        }
        ctx.record(std::move(ref));
    }
    return found;
}

namespace {

// The section (or sub-section) whose text holds the bytes `text` views.
const Section* section_holding(const std::vector<Section>& sections, std::string_view text) {
    for (const auto& s : sections) {
        // Pointers into different strings compare by std::less, which orders them all.
        const std::less<const char*> before;
        const char* begin = s.text.data();
        const char* end = begin + s.text.size();
        if (!text.empty() && !before(text.data(), begin) && !before(end, text.data() + text.size())) return &s;
        if (const Section* child = section_holding(s.children, text)) return child;
    }
    return nullptr;
}

}  // namespace

SourcePos position_in_section_text(const ReportModel& model, std::string_view text, std::size_t offset,
                                   std::string_view match) {
    const Section* section = match.empty() ? nullptr : section_holding(model.sections, text);
    if (!section) return {};
    const std::size_t at = static_cast<std::size_t>(text.data() - section->text.data()) + offset;
    // The section's text joins its blocks' in order (a heading block without its
    // title line, a table as its rows): each prose block is found in it from where
    // the one before ended, and the match is in the block whose text holds it
    // whole. In a table's rows, or across two blocks, it has no place here.
    const auto& blocks = model.document.blocks;
    std::size_t cursor = 0;
    for (std::size_t b = section->first_block; b < section->end_block && b < blocks.size(); ++b) {
        const Block& block = blocks[b];
        if (block.kind == BlockKind::Table || block.text.empty()) continue;
        const std::string_view whole = block.text;
        const std::size_t line_end = whole.find('\n');
        for (std::size_t skip : {std::size_t{0}, line_end == std::string_view::npos ? whole.size() : line_end + 1}) {
            const std::string_view piece = whole.substr(std::min(skip, whole.size()));
            if (piece.empty()) continue;
            const std::size_t found = section->text.find(piece, cursor);
            if (found == std::string::npos) continue;
            cursor = found + piece.size();
            if (at < found || at + match.size() > cursor) break;
            const std::size_t in_block = skip + (at - found);
            const std::vector<std::size_t> newlines = newline_offsets(block.text);
            return position_in_text(block.pos, block.anchors, newlines, char_count(whole.substr(0, in_block)));
        }
    }
    return {};
}

}  // namespace gouji::eval
