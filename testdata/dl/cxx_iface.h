#include <string>
struct Shape {
	virtual ~Shape() {}
	virtual double area() const = 0;
	virtual std::string name() const = 0;
};
