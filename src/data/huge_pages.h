// Large buffers in anonymous mappings that ask the kernel for transparent
// huge pages (madvise MADV_HUGEPAGE). A million pending observation rows
// (48 MB) in 4 KiB pages cost 11,000 page faults, a tenth of the England
// CSV run; in 2 MiB pages they cost 24. Where the kernel's THP mode is
// "never" the advice is ignored and the pages are ordinary ones.
// Thread-safe (no state).
#ifndef VIGIL_SRC_DATA_HUGE_PAGES_H_
#define VIGIL_SRC_DATA_HUGE_PAGES_H_

#include <cstddef>

namespace vigil {
namespace internal {

// The size of a transparent huge page on x86-64 and most arm64 kernels.
inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Asks for huge pages for the whole 2 MiB pages inside [data, data + bytes)
// (none when the range holds none). Memory already touched keeps its
// contents; the advice only changes how pages not yet touched are backed.
// Safe on any anonymous memory, malloc'd included.
void AdviseHugePages(void* data, size_t bytes);

// Maps `bytes` of zeroed anonymous memory, advised for huge pages; nullptr
// when there is no memory. From 2 MiB the mapping starts on a 2 MiB
// boundary and is rounded up to whole huge pages (every page of it can be a
// huge one), below to whole 4 KiB pages.
void* MapHugePages(size_t bytes);
// Grows the mapping `data` of `old_bytes` to `new_bytes`, contents kept:
// the new address, or nullptr when there is no memory (then `data` is
// unchanged). The pages are moved by mremap, not copied, except where
// mremap cannot move them (valgrind): then they are copied to a new mapping.
// Sizes as given to MapHugePages.
void* RemapHugePages(void* data, size_t old_bytes, size_t new_bytes);
// Unmaps a mapping of MapHugePages or RemapHugePages; null does nothing.
void UnmapHugePages(void* data, size_t bytes);

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_DATA_HUGE_PAGES_H_
