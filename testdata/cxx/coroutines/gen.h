#pragma once
#include <coroutine>
#include <exception>
#include <utility>

// A minimal generator; its frames are allocated with operator new.
template <typename T> struct Gen {
	struct promise_type {
		T cur{};
		std::exception_ptr err;
		Gen get_return_object() { return Gen{std::coroutine_handle<promise_type>::from_promise(*this)}; }
		std::suspend_always initial_suspend() noexcept { return {}; }
		std::suspend_always final_suspend() noexcept { return {}; }
		std::suspend_always yield_value(T v) noexcept
		{
			cur = std::move(v);
			return {};
		}
		void return_void() {}
		void unhandled_exception() { err = std::current_exception(); }
	};
	std::coroutine_handle<promise_type> h;
	explicit Gen(std::coroutine_handle<promise_type> h) : h(h) {}
	Gen(Gen &&o) : h(std::exchange(o.h, {})) {}
	~Gen()
	{
		if (h)
			h.destroy();
	}
	bool next()
	{
		h.resume();
		if (h.promise().err)
			std::rethrow_exception(h.promise().err);
		return !h.done();
	}
	T value() const { return h.promise().cur; }
};

Gen<long> fib_gen(int n);
Gen<long> primes(long limit);
Gen<int> failing(int after);
