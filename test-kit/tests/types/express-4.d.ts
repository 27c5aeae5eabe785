// Express 4 is installed beside Express 5 under an alias; it has the same public shape.
declare module 'express-4' {
  import express from 'express';

  export default express;
}
