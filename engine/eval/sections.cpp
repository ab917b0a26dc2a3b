#include "engine/eval/sections.hpp"

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

}  // namespace gouji::eval
