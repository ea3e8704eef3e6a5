# Refusals, as the server words them. Keep the English exact: API clients and tests read it.

error-cart-empty = the cart is empty: add at least one pizza
error-too-many-lines = an order can have at most { $max } lines
error-too-many-pizzas = an order can have at most { $max } pizzas: call us for a bigger one
error-quantity = quantity must be between 1 and { $max }
error-quantity-not-number = a quantity is a whole number
error-item-unknown = this item is not on the menu
error-sold-out = { $name } is sold out
error-one-size = { $name } comes in one size only
error-no-toppings = { $name } takes no toppings
error-too-many-toppings = at most { $max } extra toppings per pizza
error-topping-unknown = this topping is not on the menu
error-listed-twice = { $name } is listed twice
error-no-such-ingredient = { $name } has no "{ $ingredient }" to leave off
error-notes-too-long = notes can have at most { $max } characters
error-notes-unprintable = the notes have characters we can't print
error-phone = a phone number has { $min } to { $max } digits, spaces, + - ( )
error-idempotency-key = { $min } to { $max } letters, digits, - or _
error-name-missing = please tell us your name
error-name-too-long = the name can have at most { $max } characters
error-name-unprintable = the name has characters we can't print
error-closed-now = we are closed right now: choose a pickup time when we are open
error-pickup-too-soon = that pickup time is too soon: we need at least { $minutes } minutes
error-pickup-too-late = pickup can be at most { $hours } hours ahead
error-closed-then = we are closed at that time: choose a time within opening hours
error-pickup-not-listed = choose a pickup time from the list
error-reason-missing = say why the order is cancelled
error-reason = say why the order is cancelled, in at most { $max } characters
error-price = a price is between 0 and { $max }
error-item-name = a name is 1 to { $max } printable characters
error-description = a description is at most { $max } printable characters
error-name-taken = another item already has this name
error-password-short = the password needs at least { $min } characters
error-username = the username needs 1 to 60 printable characters
error-device-name = give the screen a name of 1 to 60 characters
error-api-key-name = give the key a name of 1 to 60 characters, e.g. who uses it

# General words for other errors, by kind (the server's own words are shown in English).
error-not-found = Not found: it may have been removed.
error-unauthorized = Please sign in first.
error-forbidden = Your account is not allowed to do this.
error-invalid-transition = This change is not possible at this stage.
error-conflict = Someone else changed this first: look again and retry.
error-too-many-requests = Too many requests: please wait a moment.
error-unavailable = The service is busy or unavailable, please try again.
error-internal = Something went wrong on our side, please try again.
error-request = The request could not be read.
error-screen-code = no screen is waiting with that code: check the code on the screen (it changes every 10 minutes)
error-sign-in-refused = Wrong username or password.
error-unreachable = The server could not be reached: check the connection and try again.
error-too-large = That is too much to send at once.
error-timeout = That took too long: please try again.
error-pairing-link = This pairing link is unknown, used or expired: ask an admin for a new one.
error-screen-code-expired = This screen code expired: the screen shows a new one.
error-disable-self = You cannot disable your own account.
error-username-taken = The username { $username } is taken.
error-role = Choose staff or admin.
error-order-rate = Too many orders from here: please wait { $seconds } s.
error-checkout-reused = This checkout was already placed with other details: reload the page to start a new order.
error-order-changed = Someone else changed order #{ $id } first: it is now { $status ->
    [received] received
    [preparing] preparing
    [baking] in the oven
    [ready] ready for pickup
    [collected] collected
    [cancelled] cancelled
   *[other] { $status }
}.
error-no-next-stage = Order #{ $id } is { $status ->
    [collected] collected
    [cancelled] cancelled
   *[other] { $status }
}: it has no next stage.
error-address = an address is at most { $max } printable characters
error-currency = choose one of these currencies: { $known }
