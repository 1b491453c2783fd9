// The Python module pyfast._core: the C++ library's functions, for Python.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "pyfast/primes.hpp"
#include "pyfast/stats.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "pyfast's C++ core";
  m.def("primes_below", &pyfast::primes_below, py::arg("limit"),
        "The primes below limit, in order.");
  m.def("is_prime", &pyfast::is_prime, py::arg("n"), "Whether n is prime.");
  py::class_<pyfast::Summary>(m, "Summary")
      .def_readonly("count", &pyfast::Summary::count)
      .def_readonly("mean", &pyfast::Summary::mean)
      .def_readonly("variance", &pyfast::Summary::variance)
      .def_readonly("min", &pyfast::Summary::min)
      .def_readonly("max", &pyfast::Summary::max);
  // std::invalid_argument reaches Python as ValueError.
  m.def("summarize", &pyfast::summarize, py::arg("values"),
        "Count, mean, sample variance, min and max of values, in one pass.");
}
