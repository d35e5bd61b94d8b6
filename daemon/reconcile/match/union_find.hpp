// daemon/reconcile/match/union_find.hpp — disjoint sets with path halving and union by size,
// for clustering rows that are the same new person before anything is created.
#pragma once

#include <cstddef>
#include <numeric>
#include <vector>

namespace crmsync::reconcile {

class UnionFind {
 public:
  explicit UnionFind(std::size_t size) : parent_(size), size_(size, 1) {
    std::iota(parent_.begin(), parent_.end(), std::size_t{0});
  }

  std::size_t find(std::size_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  // Returns false when both were already in one set.
  bool unite(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return false;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
    return true;
  }

  std::size_t size_of(std::size_t x) { return size_[find(x)]; }

 private:
  std::vector<std::size_t> parent_;
  std::vector<std::size_t> size_;
};

}  // namespace crmsync::reconcile
