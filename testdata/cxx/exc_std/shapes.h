#pragma once
struct Shape {
	virtual ~Shape();
	virtual const char *name() const = 0;
};
struct Circle : Shape {
	const char *name() const override;
};
struct Square : Shape {
	const char *name() const override;
};
Shape *make_shape(int i);
