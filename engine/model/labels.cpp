#include "engine/model/labels.hpp"

#include <algorithm>

#include "gouji/text.hpp"

namespace gouji {

namespace {
constexpr std::size_t kMaxLabelChars = 60;

// True when `s` has at least n characters; stops counting there (hot path).
bool has_chars(std::string_view s, std::size_t n) {
    std::size_t count = 0;
    for (unsigned char b : s)
        if ((b & 0xC0) != 0x80 && ++count >= n) return true;
    return n == 0;
}
}  // namespace

int label_score(const std::string& doc_label, const NamedLabel& label) {
    return label_score(doc_label, char_signature(doc_label), label);
}

int label_score(const std::string& doc_label, std::uint64_t doc_signature, const NamedLabel& label) {
    if (doc_label.empty()) return 0;
    // Schemas built in code (tests) may not carry the precomputed forms.
    std::vector<std::string> computed;
    const std::vector<std::string>* forms = &label.normalized;
    if (forms->empty()) {
        for (const std::string* f : {&label.id, &label.label})
            if (!f->empty()) computed.push_back(normalize_label(*f));
        for (const auto& a : label.aliases) computed.push_back(normalize_label(a));
        forms = &computed;
    }
    const bool signed_forms = label.signatures.size() == forms->size();
    int best = 0;
    bool measured = false, too_long = false, doc_4 = false, doc_5 = false;
    for (std::size_t i = 0; i < forms->size(); ++i) {
        const std::string& alias = (*forms)[i];
        if (alias.empty()) continue;
        // Every score needs one of the two to contain the other's characters.
        std::uint64_t alias_signature = signed_forms ? label.signatures[i] : char_signature(alias);
        if (!signature_within(alias_signature, doc_signature) && !signature_within(doc_signature, alias_signature))
            continue;
        if (!measured) {
            measured = true;
            too_long = has_chars(doc_label, kMaxLabelChars + 1);
            doc_4 = has_chars(doc_label, 4);
            doc_5 = has_chars(doc_label, 5);
        }
        if (too_long) return 0;
        if (doc_label == alias) return 4;
        if ((doc_label.rfind(alias, 0) == 0 && has_chars(alias, 2)) || (doc_4 && alias.rfind(doc_label, 0) == 0))
            best = std::max(best, 3);
        else if (best < 2 && ((doc_label.find(alias) != std::string::npos && has_chars(alias, 3)) ||
                              (doc_5 && alias.find(doc_label) != std::string::npos)))
            best = 2;
    }
    return best;
}

bool may_score_3(const std::string& doc_label, const NamedLabel& label) {
    if (doc_label.empty()) return false;
    if (label.normalized.empty()) return true;  // schemas built in code: label_score decides
    return std::any_of(label.normalized.begin(), label.normalized.end(),
                       [&](const std::string& form) { return !form.empty() && form[0] == doc_label[0]; });
}

bool is_table_label(const std::string& doc_label, const TemplateSchema& schema) {
    if (doc_label.empty()) return false;
    const std::uint64_t signature = char_signature(doc_label);
    for (const auto& table : schema.tables) {
        for (const auto& r : table.rows)
            if (may_score_3(doc_label, r) && label_score(doc_label, signature, r) >= 3) return true;
        for (const auto& g : table.groups)
            if (may_score_3(doc_label, g) && label_score(doc_label, signature, g) >= 3) return true;
    }
    return false;
}

}  // namespace gouji
