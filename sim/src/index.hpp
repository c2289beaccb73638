// Private to the simulator: typed indexes into the run-time model's tables.
//
// The run-time model numbers its components and nodes, and every replication keeps state in
// vectors parallel to those tables. A bare int would let a node index reach into the component
// table (or a zone index into either) and compile; an Index<Tag> names the table it indexes,
// and an IndexedVector<Id, T> takes only its own Id. Both are as cheap as the int they hold,
// so a request in flight stays as small as it was.
#pragma once

#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace archsim::sim::detail {

template <class Tag>
class Index {
 public:
  constexpr Index() = default;
  template <std::integral I>
  constexpr explicit Index(I position) : value_(static_cast<std::int32_t>(position)) {}

  constexpr std::size_t position() const { return static_cast<std::size_t>(value_); }
  /// For the places that store or print it as a plain number (event payloads, incidents).
  constexpr std::int32_t value() const { return value_; }

  friend constexpr bool operator==(Index, Index) = default;
  friend constexpr auto operator<=>(Index, Index) = default;

 private:
  std::int32_t value_ = 0;
};

/// A vector indexed by one kind of Index only. `ids()` walks its indexes in order, so loops
/// over a table need no counter cast into an id.
template <class Id, class T>
class IndexedVector {
 public:
  class IdRange {
   public:
    struct iterator {
      using value_type = Id;
      using difference_type = std::ptrdiff_t;
      std::size_t at = 0;
      Id operator*() const { return Id{at}; }
      iterator& operator++() { return ++at, *this; }
      iterator operator++(int) { iterator before = *this; ++at; return before; }
      friend bool operator==(iterator, iterator) = default;
    };
    explicit IdRange(std::size_t n) : n_(n) {}
    iterator begin() const { return {0}; }
    iterator end() const { return {n_}; }

   private:
    std::size_t n_;
  };

  IndexedVector() = default;
  explicit IndexedVector(std::size_t n) : items_(n) {}
  IndexedVector(std::size_t n, const T& value) : items_(n, value) {}

  T& operator[](Id id) { return items_[id.position()]; }
  const T& operator[](Id id) const { return items_[id.position()]; }

  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  IdRange ids() const { return IdRange(items_.size()); }
  /// The id the next push_back or emplace_back gets.
  Id next_id() const { return Id{items_.size()}; }

  void reserve(std::size_t n) { items_.reserve(n); }
  void resize(std::size_t n) { items_.resize(n); }
  void assign(std::size_t n, const T& value) { items_.assign(n, value); }
  void clear() { items_.clear(); }
  void push_back(T value) { items_.push_back(std::move(value)); }
  template <class... Args>
  T& emplace_back(Args&&... args) { return items_.emplace_back(std::forward<Args>(args)...); }

  auto begin() { return items_.begin(); }
  auto end() { return items_.end(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  T& front() { return items_.front(); }
  const T& front() const { return items_.front(); }
  T& back() { return items_.back(); }
  const T& back() const { return items_.back(); }

 private:
  std::vector<T> items_;
};

}  // namespace archsim::sim::detail
