#include "engine/output/json_text.hpp"

namespace gouji {

std::string json_text(const nlohmann::ordered_json& j) { return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace); }

std::string nested_json_text(const nlohmann::ordered_json& j, std::size_t depth) {
    // JSON strings hold no raw line breaks: every line break starts a line of the text.
    const std::string text = json_text(j);
    const std::string indent(depth, ' ');
    std::string nested;
    nested.reserve(text.size() + (text.size() / 8 + 1) * depth);
    nested += indent;
    for (char c : text) {
        nested += c;
        if (c == '\n') nested += indent;
    }
    return nested;
}

}  // namespace gouji
