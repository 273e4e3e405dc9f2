// Archive member that defines tuning(): never pulled, because the weak definition in
// defaults.o already satisfies the reference (archives are not searched for weak-defined
// symbols).
int tuning() { return 999; }
