/* pulled for a data symbol */
int table_value[4] = {11, 22, 33, 44};
