// Any address no other route claims: a readable 404 page (the root's error boundary) instead of
// Remix's "no route matched", which would also be logged as a server error.
import { json } from '@remix-run/node'

export async function loader() {
  throw json({ message: 'There is nothing at this address. It may have been removed, or the link is wrong.' }, { status: 404 })
}

export default function NotFound() {
  return null
}
