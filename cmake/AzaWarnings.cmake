# aza_warnings(target): the project's warning set; -Werror with AZA_WERROR=ON (CI preset).
add_library(aza_warnings INTERFACE)
target_compile_options(aza_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wformat=2
  -Wimplicit-fallthrough
  $<$<BOOL:${AZA_WERROR}>:-Werror>)
