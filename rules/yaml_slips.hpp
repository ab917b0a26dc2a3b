// What a rule author most likely got wrong where libyaml gave up. libyaml says
// what its grammar expected ("could not find expected ':'"), often on the line
// after the slip; a regulator needs the slip itself, on its own line, and what to
// write instead: a full-width colon after a key, a key with no colon, a value
// that starts with '{' or '[', a ': ' inside an unquoted value, a line indented
// unlike the keys around it.
#pragma once

#include <string>
#include <string_view>

#include "rules/yaml_tree.hpp"

namespace gouji::rules {

// What to write for `key:value` (no space after the colon), which YAML reads as
// one text: "write 'severity: error' (YAML needs a space after the colon)".
std::string no_space_after_colon(std::string_view key, std::string_view value);

// `error` (libyaml's, in `text`) restated at the slip that explains it, or
// unchanged when no known slip does.
YamlSyntaxError explain_yaml_slip(std::string_view text, YamlSyntaxError error);

}  // namespace gouji::rules
