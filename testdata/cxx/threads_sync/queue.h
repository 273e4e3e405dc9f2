#pragma once
#include <condition_variable>
#include <deque>
#include <mutex>

class Queue {
	std::mutex m;
	std::condition_variable cv;
	std::deque<int> q;
	bool closed = false;

public:
	void push(int v);
	void close();
	bool pop(int &v); // false once closed and drained
};
