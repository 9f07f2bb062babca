/* Plain C whose words look like misspelt cogen keywords (asynce could be a
 * macro of a header cogen does not read): without an #include of cogen.h
 * they are the user's own names, and the file comes out byte for byte. */
asynce int one(void) { return 1; }
